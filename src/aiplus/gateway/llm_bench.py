"""``aiplus bench llm``: the local model through the raw binding and through the gateway, in
one run, on the same prompts (English, Traditional Chinese, Cantonese).

Baseline: cyllama's own streaming call (``LLM.__call__``), the binding as a user would call
it, which also turns each token into text on its own; so its answers show the U+FFFD count
*before* the fix. Measured: the same prompt through :class:`~aiplus.gateway.service.Gateway`
with the local backend (our byte-joining decoding loop, loop guard, sentence release, OpenCC
conversion, metrics); guardrails allow everything here, their cost has its own benchmark.
Both sides are timed the same way: prompt processing is the time from the call to its first
piece of text, decoding is tokens after the first divided by the time after it. Goal: the
gateway decodes at >= 0.9x the raw binding, with no U+FFFD in any answer.
"""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from aiplus.core.datafiles import load_yaml
from aiplus.gateway.backends import BackendRequest, LocalLlama, Usage
from aiplus.gateway.bench import AllowAll
from aiplus.gateway.chatml import END, format_chat
from aiplus.gateway.service import Gateway
from aiplus.gateway.settings import LlmSettings
from aiplus.guard.contract import CallContext
from aiplus.platform.registry import Benchmark

GOAL_RATIO = 0.9
REPLACEMENT = "\ufffd"


class Prompt(BaseModel):
    id: str
    lang: str
    user: str
    system: str | None = None
    quick: bool = False

    def messages(self) -> list[dict[str, str]]:
        system = [{"role": "system", "content": self.system}] if self.system else []
        return [*system, {"role": "user", "content": self.user}]


class Prompts(BaseModel):
    prompts: list[Prompt]


@functools.cache
def prompts() -> list[Prompt]:
    return load_yaml("aiplus.gateway", "llm_bench_prompts.yaml", Prompts).prompts


@dataclass
class Run:
    """One answer and its timing."""

    text: str
    tokens: int
    prompt_s: float
    decode_s: float
    finish: str

    def figures(self) -> dict[str, Any]:
        return {"tokens": self.tokens, "prompt_ms": round(self.prompt_s * 1000, 1),
                "decode_tokens_per_s": round(max(self.tokens - 1, 0) / self.decode_s, 2)
                if self.decode_s > 0 else None,
                "replacement_chars": self.text.count(REPLACEMENT), "finish": self.finish,
                "text": self.text}


def _timed(pieces: Iterator[str]) -> tuple[str, float, float]:
    """Consume ``pieces``: the text, the seconds to the first piece, the seconds after it."""
    started, first, parts = time.perf_counter(), None, []
    for piece in pieces:
        first = first or time.perf_counter()
        parts.append(piece)
    ended = time.perf_counter()
    first = first or ended
    return "".join(parts), first - started, ended - first


def raw(local: LocalLlama, prompt: Prompt, max_tokens: int) -> Run:
    """The baseline: cyllama's own streaming call, per-token text and all."""
    from cyllama import GenerationConfig

    model = local.model()
    config = GenerationConfig(max_tokens=max_tokens, temperature=0.0,
                              n_ctx=local.settings.context_tokens, stop_sequences=[END])
    with model.lock:
        text, prompt_s, decode_s = _timed(model.llm(format_chat(prompt.messages()),
                                                    config=config, stream=True))
        tokens = model.llm._last_stream_stats.generated_tokens  # cyllama's count of the run
    return Run(text, tokens, prompt_s, decode_s, "length" if tokens >= max_tokens else "stop")


class FirstDelta:
    """The local backend, noting when its first text delta reaches the gateway: the gateway
    releases whole sentences, so its own first piece says nothing of prompt processing."""

    def __init__(self, local: LocalLlama) -> None:
        self.local = local
        self.first: float | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.local, name)

    def stream(self, request: BackendRequest, usage: Usage) -> Iterator[str]:
        deltas = self.local.stream(request, usage)

        def noted() -> Iterator[str]:
            try:
                for delta in deltas:
                    self.first = self.first or time.perf_counter()
                    yield delta
            finally:
                deltas.close()  # type: ignore[attr-defined]

        return noted()


def through_gateway(local: LocalLlama, prompt: Prompt, max_tokens: int) -> Run:
    backend = FirstDelta(local)
    gateway = Gateway(backend, AllowAll(), db=None)  # type: ignore[arg-type]
    started = time.perf_counter()
    stream = gateway.stream_chat(prompt.messages(), max_tokens=max_tokens,
                                 context=CallContext(app="bench"))
    text = "".join(stream)
    ended, result = time.perf_counter(), stream.result
    assert result is not None
    first = backend.first or ended
    return Run(text, result.completion_tokens, first - started, ended - first,
               result.finish_reason)


def _rate(runs: list[Run]) -> float:
    """Decode tokens/s over several answers: all tokens after the first over all the time."""
    seconds = sum(run.decode_s for run in runs)
    return round(sum(max(run.tokens - 1, 0) for run in runs) / seconds, 2) if seconds else 0.0


def measure(quick: bool) -> dict[str, Any]:
    local = LocalLlama(LlmSettings())
    if not local.available():
        return {"skipped": "the local model is not installed"}
    chosen = [p for p in prompts() if p.quick or not quick]
    max_tokens, rounds = (48, 1) if quick else (120, 2)
    # Load the model, make each side's llama.cpp context and load OpenCC outside any timing.
    raw(local, chosen[0], 2)
    through_gateway(local, chosen[0], 2)
    answers: dict[str, dict[str, Any]] = {}
    pairs: list[tuple[Run, Run]] = []
    for _ in range(rounds):
        for prompt in chosen:
            # Alternate which side goes first, so a warm cache or a busy moment favours neither.
            if len(pairs) % 2:
                through = through_gateway(local, prompt, max_tokens)
                bare = raw(local, prompt, max_tokens)
            else:
                bare = raw(local, prompt, max_tokens)
                through = through_gateway(local, prompt, max_tokens)
            pairs.append((bare, through))
            answers.setdefault(prompt.id, {"lang": prompt.lang, "raw": bare.figures(),
                                           "gateway": through.figures()})
    bare, through = _summary([p[0] for p in pairs]), _summary([p[1] for p in pairs])
    ratio = bare["decode_tokens_per_s"] and through["decode_tokens_per_s"] / bare[
        "decode_tokens_per_s"]
    return {"max_tokens": max_tokens, "rounds": rounds, "prompts": answers, "raw": bare,
            "gateway": through, "decode_ratio": round(ratio, 3)}


def _summary(runs: list[Run]) -> dict[str, Any]:
    """One side's figures over every answer of every round."""
    return {"decode_tokens_per_s": _rate(runs),
            "prompt_ms_median": round(statistics.median(r.prompt_s for r in runs) * 1000, 1),
            "replacement_chars": sum(r.text.count(REPLACEMENT) for r in runs),
            "tokens": sum(r.tokens for r in runs)}


def _rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, answer in figures["prompts"].items():
        bare, through = answer["raw"], answer["gateway"]
        rows.append({"prompt": name, "lang": answer["lang"],
                     "prompt ms raw / gateway": f"{bare['prompt_ms']} / {through['prompt_ms']}",
                     "decode tok/s raw / gateway":
                         f"{bare['decode_tokens_per_s']} / {through['decode_tokens_per_s']}",
                     "U+FFFD raw / gateway":
                         f"{bare['replacement_chars']} / {through['replacement_chars']}",
                     "tokens (finish) raw / gateway":
                         f"{bare['tokens']} ({bare['finish']}) / "
                         f"{through['tokens']} ({through['finish']})"})
    bare, through = figures["raw"], figures["gateway"]
    rows.append({"prompt": "all rounds", "lang": "",
                 "prompt ms raw / gateway":
                     f"median {bare['prompt_ms_median']} / {through['prompt_ms_median']}",
                 "decode tok/s raw / gateway":
                     f"{bare['decode_tokens_per_s']} / {through['decode_tokens_per_s']} "
                     f"(x{figures['decode_ratio']})",
                 "U+FFFD raw / gateway":
                     f"{bare['replacement_chars']} / {through['replacement_chars']}",
                 "tokens (finish) raw / gateway": f"{bare['tokens']} / {through['tokens']}"})
    return rows


def run(quick: bool = False, **_: Any) -> dict[str, Any]:
    figures = measure(quick)
    if "skipped" in figures:
        return {"goal": "-", "rows": [], "passed": False, **figures}
    passed = figures["decode_ratio"] >= GOAL_RATIO and figures["gateway"]["replacement_chars"] == 0
    return {"goal": f"gateway decode tokens/s >= {GOAL_RATIO}x the raw binding, and no U+FFFD "
                    "in any gateway answer",
            "rows": _rows(figures), "passed": passed, **figures}


BENCHMARK = Benchmark("llm", "Local LLM through the raw cyllama binding and through the "
                      "gateway: prompt time, decode tokens/s, U+FFFD per answer", run)
