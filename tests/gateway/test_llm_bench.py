"""``aiplus bench llm`` is registered and its prompts cover what issue 19 found broken; its
rate counts tokens after the first over the time after the first, on both sides alike."""

from __future__ import annotations

from aiplus.apps.aisecurity.app import app
from aiplus.gateway.llm_bench import BENCHMARK, Run, _rate, prompts


def test_the_benchmark_is_registered_with_prompts_in_every_language() -> None:
    assert BENCHMARK in app.benchmarks and BENCHMARK.name == "llm"
    chosen = prompts()
    assert {p.lang for p in chosen} == {"en", "zh-Hant", "yue"}
    assert {p.lang for p in chosen if p.quick} == {"en", "zh-Hant", "yue"}
    assert any("濱" in p.user or "龘" in p.user for p in chosen)


def test_decode_rate_leaves_the_first_token_to_prompt_time() -> None:
    runs = [Run("a", 11, 2.0, 1.0, "stop"), Run("b", 21, 5.0, 3.0, "length")]
    assert _rate(runs) == 7.5  # (10 + 20) tokens over (1 + 3) s
    assert Run("", 1, 1.0, 0.0, "stop").figures()["decode_tokens_per_s"] is None
