#!/usr/bin/env python3
"""Conformance of claude-router with the official `anthropic` Python SDK, pointed at it by base_url only.

Usage:
    python3 Tests/conformance/sdk_router_test.py --base-url http://127.0.0.1:PORT [--key KEY] [--limited-key KEY]

The router must run with the simulator as its upstream and forward `x-sim-*` headers (what `claude-router serve`
does without ANTHROPIC_API_KEY, and what the Swift test harness sets up). Creates a venv
($CLAUDE_ROUTER_SDK_VENV, default /tmp/claude-router-sdk-venv-router) with `anthropic` from PyPI and re-runs itself there.

Exit codes: 0 all passed, 1 a check failed, 77 skipped (PyPI unreachable or no python venv support).
"""
import argparse
import os
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sdk_venv import SKIP, ensure_sdk, skip  # noqa: E402,F401

# Its own venv, so it never races the simulator suite creating theirs when both run at once.
VENV = os.environ.get("CLAUDE_ROUTER_SDK_VENV", "/tmp/claude-router-sdk-venv-router")
# pydantic-ai, pinned to a version that installs with the current `anthropic` (checked 2026-12-04).
PYDANTIC_AI = "pydantic-ai-slim[anthropic]==2.68.0"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", default="dev-key-change-me")
    parser.add_argument("--limited-key", default="limited-key-for-tests")
    args = parser.parse_args()
    ensure_sdk(VENV, extras=[("pydantic_ai", PYDANTIC_AI)])
    import anthropic
    import pydantic

    client = anthropic.Anthropic(base_url=args.base_url, api_key=args.key, max_retries=0, timeout=30)
    failures = []

    def check(name, fn):
        try:
            fn()
            print(f"ok   {name}")
        except Exception as error:  # noqa: BLE001
            failures.append(name)
            print(f"FAIL {name}: {type(error).__name__}: {error}")

    def create():
        msg = client.messages.create(model="auto", max_tokens=64,
                                     messages=[{"role": "user", "content": "Classify this ticket: refund request"}])
        assert msg.type == "message" and msg.role == "assistant", msg
        assert msg.content and msg.content[0].type == "text"
        assert msg.usage.input_tokens > 0 and msg.usage.output_tokens > 0
        raw = client.messages.with_raw_response.create(
            model="auto", max_tokens=32, messages=[{"role": "user", "content": "Classify: spam or ham?"}])
        assert raw.headers.get("x-router-model") == "claude-haiku-4-5", raw.headers.get("x-router-model")
        assert raw.headers.get("x-router-cost-usd")

    def multi_turn():
        msg = client.messages.create(model="sonnet", max_tokens=64, system="You are terse.", messages=[
            {"role": "user", "content": "Name a prime."},
            {"role": "assistant", "content": "7"},
            {"role": "user", "content": "Another one?"}])
        assert msg.stop_reason in ("end_turn", "max_tokens")

    def stream_text():
        with client.messages.stream(model="auto", max_tokens=64,
                                    messages=[{"role": "user", "content": "Write a haiku about caches"}]) as stream:
            text = "".join(stream.text_stream)
            final = stream.get_final_message()
        assert text and final.usage.output_tokens > 0

    tools = [{"name": "get_weather", "description": "Weather for a city",
              "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]

    def tool_use():
        msg = client.messages.create(model="auto", max_tokens=128, tools=tools, tool_choice={"type": "any"},
                                     messages=[{"role": "user", "content": "Weather in Paris?"}])
        assert msg.stop_reason == "tool_use", msg.stop_reason
        call = next(b for b in msg.content if b.type == "tool_use")
        follow = client.messages.create(model="auto", max_tokens=64, tools=tools, messages=[
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": [b.model_dump() for b in msg.content]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "18C, sunny"}]}])
        assert follow.type == "message"

    def stream_tool_use():
        with client.messages.stream(model="auto", max_tokens=128, tools=tools, tool_choice={"type": "any"},
                                    messages=[{"role": "user", "content": "Weather in Oslo?"}]) as stream:
            final = stream.get_final_message()
        assert any(b.type == "tool_use" for b in final.content)

    def count_tokens():
        result = client.messages.count_tokens(model="auto",
                                              messages=[{"role": "user", "content": "How many tokens is this?"}])
        assert result.input_tokens > 0

    def models():
        ids = [m.id for m in client.models.list()]
        assert "auto" in ids and "claude-sonnet-4-6" in ids, ids
        page = client.models.list(limit=2)
        assert [m.id for m in page.data] == ids[:2] and page.has_more and page.last_id == ids[1], page
        after = client.models.list(limit=2, after_id=page.last_id)
        assert [m.id for m in after.data] == ids[2:4], after
        model = client.models.retrieve("claude-sonnet-4-6")
        assert model.lifecycle == "active" and model.max_tokens and model.max_input_tokens, model
        assert model.capabilities.thinking.types.adaptive.supported, model.capabilities

    class Ticket(pydantic.BaseModel):
        title: str
        priority: int
        tags: list[str]
        owner: str | None

    def messages_parse():
        parsed = client.messages.parse(model="auto", max_tokens=512, output_format=Ticket,
                                       messages=[{"role": "user", "content": "File a ticket: the login page is down"}])
        ticket = parsed.parsed_output
        assert isinstance(ticket, Ticket) and isinstance(ticket.priority, int), parsed
        again = client.messages.parse(model="auto", max_tokens=512, output_format=Ticket,
                                      messages=[{"role": "user", "content": "File a ticket: the login page is down"}])
        assert again.parsed_output == ticket  # the simulator is deterministic

    def pydantic_ai_function_tool():
        try:
            from pydantic_ai import Agent
            from pydantic_ai.models.anthropic import AnthropicModel
            from pydantic_ai.providers.anthropic import AnthropicProvider
        except ImportError as error:
            raise AssertionError(f"{PYDANTIC_AI} is not installed in {VENV} ({error}); "
                                 "the pydantic-ai check cannot run") from error
        provider = AnthropicProvider(anthropic_client=anthropic.AsyncAnthropic(
            base_url=args.base_url, api_key=args.key, max_retries=0))
        agent = Agent(AnthropicModel("auto", provider=provider), instructions="Answer with the tool's help.")
        calls = []

        @agent.tool_plain
        def get_weather(city: str) -> str:
            """The weather in a city."""
            calls.append(city)
            return f"18C and sunny in {city}"

        result = agent.run_sync("What is the weather in Paris? Use get_weather.")
        assert len(calls) == 1 and isinstance(calls[0], str), calls
        assert isinstance(result.output, str) and result.output, result.output
        kinds = [part.part_kind for message in result.all_messages() for part in message.parts]
        assert "tool-call" in kinds and "tool-return" in kinds, kinds

    def authentication_error():
        bad = anthropic.Anthropic(base_url=args.base_url, api_key="wrong-key", max_retries=0)
        try:
            bad.messages.create(model="auto", max_tokens=8, messages=[{"role": "user", "content": "hi"}])
        except anthropic.AuthenticationError:
            return
        raise AssertionError("expected AuthenticationError")

    def permission_error():
        limited = anthropic.Anthropic(base_url=args.base_url, api_key=args.limited_key, max_retries=0)
        try:
            limited.messages.create(model="claude-opus-4-6", max_tokens=8,
                                    messages=[{"role": "user", "content": "hi"}])
        except anthropic.PermissionDeniedError:
            return
        raise AssertionError("expected PermissionDeniedError")

    def bad_request():
        try:
            client.messages.create(model="auto", max_tokens=8, messages=[{"role": "robot", "content": "hi"}])
        except anthropic.BadRequestError as error:
            assert "messages[0].role" in str(error), str(error)
            return
        raise AssertionError("expected BadRequestError")

    def rate_limit_error():
        try:
            client.messages.create(model="auto", max_tokens=8, messages=[{"role": "user", "content": "hi"}],
                                   extra_headers={"x-sim-fault": "429", "x-sim-scenario": "sdk-rate-limit"})
        except anthropic.RateLimitError:
            return
        raise AssertionError("expected RateLimitError")

    def sdk_retries_absorb_overload():
        retrying = anthropic.Anthropic(base_url=args.base_url, api_key=args.key, max_retries=2)
        msg = retrying.messages.create(model="haiku", max_tokens=8, messages=[{"role": "user", "content": "hi"}],
                                       extra_headers={"x-sim-fault": "sequence=529,529",
                                                      "x-sim-scenario": "sdk-overload"})
        assert msg.type == "message"

    checks = [("messages.create", create), ("multi-turn", multi_turn), ("messages.stream", stream_text),
              ("tool use", tool_use), ("stream tool use", stream_tool_use), ("count_tokens", count_tokens),
              ("models.list", models), ("messages.parse", messages_parse),
              ("pydantic-ai function tool", pydantic_ai_function_tool),
              ("AuthenticationError", authentication_error),
              ("PermissionDeniedError", permission_error), ("BadRequestError", bad_request),
              ("RateLimitError", rate_limit_error), ("overload absorbed", sdk_retries_absorb_overload)]
    for name, fn in checks:
        check(name, fn)
    print(f"{len(checks) - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
