"""The local model's own decoding loop, driven token by token through cyllama's low-level API.

cyllama's ``LLM.__call__`` turns every token into text on its own, so a Chinese character
whose bytes span two tokens comes back as U+FFFD. This loop samples the same way (the same
llama.cpp context, batch and sampler calls) but joins the tokens' bytes before decoding
(:mod:`aiplus.gateway.decoding`), stops a looping answer (:mod:`aiplus.gateway.loops`), and
times prompt processing and decoding apart, for the usage ledger and ``aiplus bench llm``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiplus.gateway.decoding import StopScanner, TokenBytes, TokenText
from aiplus.gateway.loops import LoopGuard
from aiplus.gateway.settings import LlmSettings

log = logging.getLogger(__name__)
PROMPT_BATCH = 512


@dataclass
class Decoding:
    """One generation's parameters (the request's, with the settings' sampling defaults)."""

    max_tokens: int
    temperature: float = 0.0
    stop: list[str] = field(default_factory=list)
    settings: LlmSettings = field(default_factory=LlmSettings)
    """Context size, threads, repetition penalty and loop guard."""
    seed: int = 0xFFFFFFFF
    """llama.cpp's "random seed" value; used only when ``temperature`` > 0."""


@dataclass
class Trace:
    """What one generation did, filled as it runs: the token counts for usage, the reason it
    ended (``stop``, ``length`` or ``repetition``) and its timing."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: str | None = None
    prompt_seconds: float = 0.0
    decode_seconds: float = 0.0


class LocalModel:
    """One loaded GGUF model with the single llama.cpp context that serves it. Generations
    take :attr:`lock` in turn: a context holds one conversation's KV cache at a time."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.vocab = llm.vocab
        self.lock = threading.Lock()
        self.spell = TokenBytes(self.vocab)
        self._context: tuple[tuple[int, int], Any] | None = None

    def tokenize(self, text: str, *, add_special: bool = True) -> list[int]:
        tokens = self.vocab.tokenize(text, add_special=add_special, parse_special=True)
        return list(tokens)

    def context(self, settings: LlmSettings) -> Any:
        """The context, made on first use with the configured size and thread count (and
        made again only if a caller configures others)."""
        from cyllama.llama.llama_cpp import LlamaContext, LlamaContextParams

        params = LlamaContextParams()
        shape = (settings.context_tokens, settings.threads or params.n_threads)
        if self._context is None or self._context[0] != shape:
            params.n_ctx, params.n_batch = shape[0], PROMPT_BATCH
            params.n_threads = params.n_threads_batch = shape[1]
            self._context = (shape, LlamaContext(self.llm.model, params))
        return self._context[1]

    @staticmethod
    def sampler(decoding: Decoding) -> Any:
        """llama.cpp's sampler chain: the repetition penalty, then greedy choice at
        temperature 0 or the usual min-p / top-k / top-p / temperature draw."""
        from cyllama.defaults import DEFAULT_MIN_P, DEFAULT_TOP_K, DEFAULT_TOP_P
        from cyllama.llama.llama_cpp import LlamaSampler, LlamaSamplerChainParams

        sampler = LlamaSampler(LlamaSamplerChainParams())
        settings = decoding.settings
        if settings.repeat_penalty != 1.0 and settings.penalty_last_n:
            sampler.add_penalties(settings.penalty_last_n, settings.repeat_penalty, 0.0, 0.0)
        if decoding.temperature == 0.0:
            sampler.add_greedy()
            return sampler
        sampler.add_min_p(DEFAULT_MIN_P, 1)
        sampler.add_top_k(DEFAULT_TOP_K)
        sampler.add_top_p(DEFAULT_TOP_P, 1)
        sampler.add_temp(decoding.temperature)
        sampler.add_dist(decoding.seed)
        return sampler

    @staticmethod
    def loop_guard(settings: LlmSettings) -> LoopGuard | None:
        if not settings.loop_max_period:
            return None
        return LoopGuard(settings.loop_min_tokens, settings.loop_min_repeats,
                         settings.loop_max_period)

    def generate(self, prompt: list[int], decoding: Decoding, trace: Trace) -> Iterator[str]:
        """Text pieces of the answer to ``prompt`` (token ids). The caller holds
        :attr:`lock`; ``trace`` is complete once the iterator is exhausted or closed."""
        from cyllama.llama.llama_cpp import llama_batch_get_one

        context, sampler = self.context(decoding.settings), self.sampler(decoding)
        text, stops = TokenText(self.spell), StopScanner(decoding.stop)
        guard = self.loop_guard(decoding.settings)
        trace.prompt_tokens = len(prompt)
        started = time.perf_counter()
        context.kv_cache_clear()
        for start in range(0, len(prompt), PROMPT_BATCH):
            context.decode(llama_batch_get_one(prompt[start:start + PROMPT_BATCH], start))
        decoding_from = time.perf_counter()
        trace.prompt_seconds = decoding_from - started
        trace.finish_reason = "length"
        tokens = self._one_by_one(context, sampler, len(prompt))
        try:
            for token in tokens:
                if self.vocab.is_eog(token):
                    trace.finish_reason = "stop"
                    break
                trace.completion_tokens += 1
                if piece := stops.feed(text.push(token)):
                    yield piece
                if stops.stopped:
                    trace.finish_reason = "stop"
                    break
                if guard is not None and guard.push(token):
                    trace.finish_reason = "repetition"
                    log.warning("local model stopped looping after %d tokens (a block of %d "
                                "tokens repeated)", trace.completion_tokens, guard.period)
                    break
                if trace.completion_tokens >= decoding.max_tokens:
                    break
            if not stops.stopped and (rest := stops.flush()):
                yield rest
        finally:
            tokens.close()
            trace.decode_seconds = time.perf_counter() - decoding_from

    @staticmethod
    def _one_by_one(context: Any, sampler: Any, position: int) -> Iterator[int]:
        """Plain decoding: sample a token, feed it back, repeat. The consumer stops it; a
        token it stops at is never fed back, so no logits are computed in vain."""
        from cyllama.llama.llama_cpp import llama_batch_get_one

        while True:
            token = sampler.sample(context, -1)
            yield token
            context.decode(llama_batch_get_one([token], position))
            position += 1
