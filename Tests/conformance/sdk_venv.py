"""The venv bootstrap shared by the SDK conformance scripts.

`ensure_sdk(venv, extras)` returns when `anthropic` (and every module of `extras`) is importable. Otherwise it
creates `venv` (once), installs `anthropic` from PyPI into it, tries to install the `extras` and re-runs the calling
script there, exiting with that run's status. It exits 77 (skipped) when PyPI is unreachable or python3-venv is
missing, so a machine without a network still runs the Swift suite. An extra that pip cannot install is reported
and left missing: the script's checks that need it then fail and say so (they never pass silently).
"""
import os
import subprocess
import sys
import urllib.request

SKIP = 77


def skip(message):
    print(f"SKIP: {message}")
    sys.exit(SKIP)


def ensure_sdk(venv, extras=()):
    """`extras`: (module, pip requirement) pairs, e.g. ("pydantic_ai", "pydantic-ai-slim[anthropic]==2.68.0")."""
    try:
        import anthropic  # noqa: F401
        if os.environ.get("CLAUDE_ROUTER_SDK_REEXEC") or all(_importable(module) for module, _ in extras):
            return
    except ImportError:
        pass
    if os.environ.get("CLAUDE_ROUTER_SDK_REEXEC"):
        print("FAIL: anthropic still missing inside the venv")
        sys.exit(1)
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        try:
            urllib.request.urlopen("https://pypi.org/simple/anthropic/", timeout=8)
        except Exception as error:  # noqa: BLE001
            skip(f"PyPI unreachable ({error}); install `anthropic` to run the SDK conformance tests")
        if subprocess.run([sys.executable, "-m", "venv", venv]).returncode != 0:
            skip("cannot create a python venv (install python3-venv)")
    if subprocess.run([python, "-c", "import anthropic"], capture_output=True).returncode != 0:
        if subprocess.run([python, "-m", "pip", "install", "-q", "--timeout", "30", "anthropic"]).returncode != 0:
            skip("pip could not install anthropic (PyPI unreachable?)")
    for module, requirement in extras:
        if subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode != 0:
            if subprocess.run([python, "-m", "pip", "install", "-q", "--timeout", "30", requirement]).returncode != 0:
                print(f"WARNING: pip could not install {requirement}; the checks that need it will fail")
    env = dict(os.environ, CLAUDE_ROUTER_SDK_REEXEC="1")
    script = os.path.abspath(sys.argv[0])
    sys.exit(subprocess.run([python, script] + sys.argv[1:], env=env).returncode)


def _importable(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False
