"""The venv bootstrap shared by the SDK conformance scripts.

`ensure_sdk(venv)` returns when `anthropic` is importable. Otherwise it creates `venv` (once), installs `anthropic`
from PyPI into it and re-runs the calling script there, exiting with that run's status. It exits 77 (skipped) when
PyPI is unreachable or python3-venv is missing, so a machine without a network still runs the Swift suite.
"""
import os
import subprocess
import sys
import urllib.request

SKIP = 77


def skip(message):
    print(f"SKIP: {message}")
    sys.exit(SKIP)


def ensure_sdk(venv):
    try:
        import anthropic  # noqa: F401
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
    env = dict(os.environ, CLAUDE_ROUTER_SDK_REEXEC="1")
    script = os.path.abspath(sys.argv[0])
    sys.exit(subprocess.run([python, script] + sys.argv[1:], env=env).returncode)
