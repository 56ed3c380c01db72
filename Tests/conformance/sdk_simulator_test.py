#!/usr/bin/env python3
"""Conformance of the Claude API simulator with the official `anthropic` Python SDK.

Usage:
    python3 Tests/conformance/sdk_simulator_test.py [--base-url http://127.0.0.1:PORT]

Without --base-url it starts `claude-router simulate` on a free port (binary from $CLAUDE_ROUTER_BIN or
.build/debug/claude-router) with 2-second batches. It creates a venv ($CLAUDE_ROUTER_SDK_VENV, default
/tmp/claude-router-sdk-venv), installs `anthropic` from PyPI and re-runs itself there.

Exit codes: 0 all passed, 1 a check failed, 77 skipped (PyPI unreachable or no python venv support).
Also runs under pytest (each `test_*` function uses SIM_BASE_URL).
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sdk_venv import SKIP, ensure_sdk, skip  # noqa: E402,F401

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
VENV = os.environ.get("CLAUDE_ROUTER_SDK_VENV", "/tmp/claude-router-sdk-venv")
BASE_URL = os.environ.get("SIM_BASE_URL", "")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_simulator():
    binary = os.environ.get("CLAUDE_ROUTER_BIN", os.path.join(ROOT, ".build", "debug", "claude-router"))
    if not os.path.exists(binary):
        print(f"FAIL: {binary} not found; run `swift build` first or set CLAUDE_ROUTER_BIN")
        sys.exit(1)
    config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"batch_processing_seconds": 2}, config)
    config.close()
    port = free_port()
    process = subprocess.Popen([binary, "simulate", "--port", str(port), "--config", config.name],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/_sim/health", timeout=1)
            return process, url
        except Exception:  # noqa: BLE001
            time.sleep(0.1)
    process.kill()
    print("FAIL: simulator did not start")
    sys.exit(1)


def client(**options):
    import anthropic
    return anthropic.Anthropic(base_url=BASE_URL, api_key="sk-sim-test", **options)


MODEL = "claude-haiku-4-5"  # an alias the SDK does not warn about (Sonnet 4.5 is deprecated)
HELLO = [{"role": "user", "content": "Hello, world!"}]


def scenario_headers(fault):
    return {"x-sim-fault": fault, "x-sim-scenario": "sdk-" + uuid.uuid4().hex}


def served(scenario):
    with urllib.request.urlopen(BASE_URL + "/_sim/faults") as response:
        data = json.load(response)["data"]
    return next(entry["served"] for entry in data if entry["scenario"] == scenario)


def test_messages_create():
    message = client().messages.create(model=MODEL, max_tokens=100, messages=HELLO,
                                       extra_headers={"x-sim-output-tokens": "12"})
    assert message.id.startswith("msg_"), message.id
    assert message.model == "claude-haiku-4-5-20251001", message.model
    assert message.role == "assistant" and message.type == "message"
    assert message.stop_reason == "end_turn"
    assert message.content[0].type == "text" and message.content[0].text
    assert message.usage.input_tokens == 9 and message.usage.output_tokens == 12
    assert message.usage.cache_creation.ephemeral_5m_input_tokens == 0
    assert message.usage.service_tier == "standard"


def test_max_tokens_stop():
    message = client().messages.create(model=MODEL, max_tokens=5, messages=HELLO,
                                       extra_headers={"x-sim-output-tokens": "40"})
    assert message.stop_reason == "max_tokens" and message.usage.output_tokens == 5


def test_messages_stream():
    headers = {"x-sim-output-tokens": "25"}
    plain = client().messages.create(model=MODEL, max_tokens=100, messages=HELLO, extra_headers=headers)
    with client().messages.stream(model=MODEL, max_tokens=100, messages=HELLO, extra_headers=headers) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == plain.content[0].text
    assert final.usage.output_tokens == 25 and final.stop_reason == "end_turn"


def test_count_tokens_matches_billed_input():
    counted = client().messages.count_tokens(model=MODEL, messages=HELLO)
    created = client().messages.create(model=MODEL, max_tokens=10, messages=HELLO)
    assert counted.input_tokens == created.usage.input_tokens == 9


def test_extended_thinking():
    import anthropic
    headers = {"x-sim-thinking-tokens": "120", "x-sim-output-tokens": "30"}
    thinking = {"type": "enabled", "budget_tokens": 1024}
    message = client().messages.create(model=MODEL, max_tokens=2000, messages=HELLO, thinking=thinking,
                                       extra_headers=headers)
    assert [block.type for block in message.content] == ["thinking", "text"], message.content
    assert message.content[0].thinking and message.content[0].signature
    assert message.usage.output_tokens == 150, message.usage
    with client().messages.stream(model=MODEL, max_tokens=2000, messages=HELLO, thinking=thinking,
                                  extra_headers=headers) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_message()
    assert "thinking" in kinds and "signature" in kinds, kinds
    assert final.content[0].thinking == message.content[0].thinking
    assert final.content[0].signature == message.content[0].signature
    assert final.content[1].text == message.content[1].text
    # The thinking block goes back unmodified with the next turn.
    follow = client().messages.create(model=MODEL, max_tokens=2000, thinking=thinking, messages=HELLO + [
        {"role": "assistant", "content": [block.model_dump() for block in message.content]},
        {"role": "user", "content": "And then?"}])
    assert follow.content[0].type == "thinking"
    try:
        client().messages.create(model=MODEL, max_tokens=1000, messages=HELLO, thinking=thinking)
        raise AssertionError("expected a budget >= max_tokens to be refused")
    except anthropic.BadRequestError as error:
        assert error.status_code == 400


def test_tool_use():
    tools = [{"name": "get_weather", "description": "Weather",
              "input_schema": {"type": "object", "properties": {
                  "city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
                  "required": ["city"]}}]
    message = client().messages.create(model=MODEL, max_tokens=200, messages=HELLO, tools=tools,
                                       tool_choice={"type": "any"})
    block = message.content[0]
    assert message.stop_reason == "tool_use" and block.type == "tool_use"
    assert block.id.startswith("toolu_") and isinstance(block.input["city"], str) and block.input["unit"] in "cf"
    follow = client().messages.create(model=MODEL, max_tokens=50, tools=tools, messages=HELLO + [
        {"role": "assistant", "content": [block.model_dump()]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": block.id, "content": "Sunny"}]}])
    assert follow.stop_reason in ("end_turn", "max_tokens")


def test_messages_parse_with_a_pydantic_model():
    import pydantic

    class Contact(pydantic.BaseModel):
        name: str
        email: str | None
        scores: list[int]

    parsed = client().messages.parse(model=MODEL, max_tokens=300, output_format=Contact,
                                     messages=[{"role": "user", "content": "Extract the contact: Ann, ann@x.org"}])
    assert isinstance(parsed.parsed_output, Contact) and parsed.stop_reason == "end_turn", parsed


def test_tool_named_in_the_prompt_is_called_under_auto():
    tools = [{"name": "get_weather", "description": "Weather",
              "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]
    message = client().messages.create(model=MODEL, max_tokens=200, tools=tools,
                                       messages=[{"role": "user", "content": "Use get_weather for Oslo"}])
    assert message.stop_reason == "tool_use" and message.content[0].name == "get_weather", message


def test_prompt_cache_write_then_read():
    system = [{"type": "text", "text": " ".join(["abc"] * 4100), "cache_control": {"type": "ephemeral"}}]
    headers = {"x-sim-scenario": "sdk-cache-" + uuid.uuid4().hex}
    first = client().messages.create(model=MODEL, max_tokens=10, system=system, messages=HELLO, extra_headers=headers)
    second = client().messages.create(model=MODEL, max_tokens=10, system=system, messages=HELLO, extra_headers=headers)
    assert first.usage.cache_creation_input_tokens == 4100 and first.usage.input_tokens == 9
    assert second.usage.cache_read_input_tokens == 4100 and second.usage.cache_creation_input_tokens == 0


def test_batches():
    batches = client().messages.batches
    created = batches.create(requests=[
        {"custom_id": "one", "params": {"model": MODEL, "max_tokens": 20, "messages": HELLO}},
        {"custom_id": "two", "params": {"model": "claude-nope", "max_tokens": 20, "messages": HELLO}},
    ])
    assert created.id.startswith("msgbatch_") and created.processing_status == "in_progress"
    batch = created
    for _ in range(100):
        batch = batches.retrieve(created.id)
        if batch.processing_status == "ended":
            break
        time.sleep(0.1)
    assert batch.processing_status == "ended", batch
    assert batch.request_counts.succeeded == 1 and batch.request_counts.errored == 1
    results = {r.custom_id: r.result for r in batches.results(created.id)}
    assert results["one"].type == "succeeded" and results["one"].message.usage.service_tier == "batch"
    assert results["two"].type == "errored"
    assert any(b.id == created.id for b in batches.list(limit=100))
    assert batches.delete(created.id).type == "message_batch_deleted"


def test_models():
    models = client().models.list()
    ids = [m.id for m in models]
    assert "claude-haiku-4-5-20251001" in ids
    assert all(m.lifecycle == "active" and m.capabilities.effort.supported for m in models)
    assert client().models.retrieve("claude-haiku-4-5").id == "claude-haiku-4-5-20251001"


def test_sdk_retries_overloaded_then_succeeds():
    headers = scenario_headers("sequence=529,529")
    message = client(max_retries=2).messages.create(model=MODEL, max_tokens=10, messages=HELLO, extra_headers=headers)
    assert message.type == "message"
    assert served(headers["x-sim-scenario"]) == 3  # two 529s, then the answer


def test_sdk_retries_rate_limit_honouring_retry_after():
    headers = scenario_headers("sequence=429")
    started = time.monotonic()
    message = client(max_retries=2).messages.create(model=MODEL, max_tokens=10, messages=HELLO, extra_headers=headers)
    assert message.type == "message" and served(headers["x-sim-scenario"]) == 2
    assert time.monotonic() - started >= 0.9  # retry-after: 1


def test_sdk_gives_up_after_max_retries():
    import anthropic
    headers = scenario_headers("sequence=529,529,529,529")
    try:
        client(max_retries=1).messages.create(model=MODEL, max_tokens=10, messages=HELLO, extra_headers=headers)
        raise AssertionError("expected an overloaded error")
    except anthropic.APIStatusError as error:
        assert error.status_code == 529, error.status_code
    assert served(headers["x-sim-scenario"]) == 2


def test_stream_error_after_200_raises():
    import anthropic
    try:
        with client().messages.stream(model=MODEL, max_tokens=50, messages=HELLO,
                                      extra_headers={"x-sim-fault": "stream-error"}) as stream:
            for _ in stream.text_stream:
                pass
        raise AssertionError("expected the stream to fail")
    except anthropic.APIStatusError as error:
        assert "Overloaded" in str(error) or "overloaded" in str(error)


def test_invalid_request_is_bad_request():
    import anthropic
    try:
        client().messages.create(model="claude-nope", max_tokens=10, messages=HELLO)
        raise AssertionError("expected not found")
    except anthropic.NotFoundError as error:
        assert error.status_code == 404 and error.request_id.startswith("req_")


def main():
    global BASE_URL
    ensure_sdk(VENV)
    process = None
    if "--base-url" in sys.argv:
        BASE_URL = sys.argv[sys.argv.index("--base-url") + 1]
    elif not BASE_URL:
        process, BASE_URL = start_simulator()
    import anthropic
    print(f"anthropic {anthropic.__version__} against {BASE_URL}")
    failures = 0
    try:
        for name, test in sorted((n, f) for n, f in globals().items() if n.startswith("test_") and callable(f)):
            try:
                test()
                print(f"ok   {name}")
            except Exception as error:  # noqa: BLE001
                failures += 1
                print(f"FAIL {name}: {type(error).__name__}: {error}")
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
    print(f"{failures} failed" if failures else "all passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
