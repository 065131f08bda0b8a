"""The gateway: one guarded path from any caller to any model.

Every call, over HTTP or in-process, takes the same steps: validate the messages, charge the
caller's quota, scan the prompt with the guardrails (a blocked prompt never reaches a model),
mask personal data with a reversible vault, generate, then release the answer sentence by
sentence: guardrails on the output, vault placeholders restored, Chinese converted to
Traditional. The ledger and the metrics record each call however it ends.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiplus.core import audit
from aiplus.core.db import Database
from aiplus.core.errors import AiplusError
from aiplus.core.i18n import N_
from aiplus.guard.contract import (
    CallContext,
    Direction,
    Guardrails,
    ScanResult,
    split_documents,
)
from aiplus.gateway.backends import Backend, BackendRequest, Embedder, Usage, canonical_model
from aiplus.gateway.errors import (
    BackendUnavailable,
    ContentBlocked,
    InvalidRequest,
    ModelNotFound,
    PromptTooLong,
)
from aiplus.gateway.ledger import Limits, Payer, admit, settle
from aiplus.gateway.metrics import GatewayMetrics
from aiplus.gateway.settings import GatewaySettings
from aiplus.gateway.text import sentences, to_traditional

log = logging.getLogger(__name__)
ROLES = frozenset({"system", "user", "assistant"})
REFUSAL = "I can't help with that request."


class Vault(Protocol):
    """Reversible masking of personal data for one call (``aiplus.guard.pii.Vault``)."""

    def anonymize(self, text: str) -> str: ...

    def restore(self, text: str) -> str: ...


@dataclass(frozen=True)
class ChatResult:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str = "stop"
    id: str = field(default_factory=lambda: "chatcmpl-" + uuid.uuid4().hex)
    created: int = field(default_factory=lambda: int(time.time()))
    latency_ms: float = 0.0
    ttft_ms: float | None = None


@dataclass(frozen=True)
class Options:
    """How one call is treated beyond the generation parameters."""

    endpoint: str = "chat"
    payer: Payer | None = None
    traditional: bool | None = None
    stop: tuple[str, ...] = ()


def message_text(message: Any, index: int) -> dict[str, str]:
    """One message as ``{"role", "content"}``; OpenAI's list-of-parts content is joined."""
    if not isinstance(message, dict):
        raise InvalidRequest(N_("Message {index} must be an object with a role and content."),
                             param=f"messages.{index}", index=index)
    role, content = message.get("role"), message.get("content")
    if role not in ROLES:
        raise InvalidRequest(N_("Message {index} has an unsupported role; use system, user or "
                                "assistant."), param=f"messages.{index}.role", index=index)
    if isinstance(content, list):
        if not all(isinstance(p, dict) and p.get("type") == "text"
                   and isinstance(p.get("text"), str) for p in content):
            raise InvalidRequest(N_("Message {index} may contain only text parts."),
                                 param=f"messages.{index}.content", index=index)
        content = "".join(part["text"] for part in content)
    if not isinstance(content, str):
        raise InvalidRequest(N_("Message {index} needs text content."),
                             param=f"messages.{index}.content", index=index)
    if "\x00" in content:
        raise InvalidRequest(N_("Message {index} contains a NUL character."),
                             param=f"messages.{index}.content", index=index)
    return {"role": role, "content": content}


class ChatStream:
    """The caller's view of a running call: iterate for text pieces; ``result`` is set once
    the stream ends. Closing it early ends the generation and settles the ledger."""

    def __init__(self, pieces: Iterator[str], model: str) -> None:
        self._pieces = pieces
        self.model = model
        self.result: ChatResult | None = None

    def __iter__(self) -> Iterator[str]:
        return self._pieces

    def close(self) -> None:
        close = getattr(self._pieces, "close", None)
        if close:
            close()


def _finish_reason(usage: Usage, max_tokens: int) -> str:
    """Why an unfiltered answer ended: the backend's own word when it stopped a loop
    (``repetition``, so the caller can tell a cut-off answer from a finished one), else
    ``length`` when the budget ran out."""
    if usage.finish_reason == "repetition":
        return "repetition"
    return "length" if usage.completion_tokens >= max_tokens else "stop"


class Gateway:
    """The platform's shared gateway; build it with :func:`aiplus.gateway.gateway_of`."""

    def __init__(self, backend: Backend | None, guardrails: Guardrails, *,
                 settings: GatewaySettings | None = None, db: Database | None = None,
                 vault_factory: Callable[[], Vault] | None = None,
                 embedder: Embedder | None = None, metrics: GatewayMetrics | None = None) -> None:
        self.backend = backend
        self.guardrails = guardrails
        self.settings = settings or GatewaySettings()
        self.db = db
        self.vault_factory = vault_factory
        self.embedder = embedder or Embedder()
        self.metrics = metrics or GatewayMetrics()

    # -- models ---------------------------------------------------------------------------
    def available(self) -> bool:
        return self.backend is not None and self.backend.available()

    def chat_models(self) -> list[str]:
        if self.backend is None:
            raise BackendUnavailable()
        return self.backend.models()

    def models(self) -> list[str]:
        """Every model id callers may name: the chat models and the embedding model."""
        try:
            chat = self.chat_models()
        except BackendUnavailable:
            chat = []
        return [*chat, Embedder.MODEL]

    def resolve_model(self, model: str | None, payer: Payer | None = None) -> str:
        """The served id that answers ``model`` (a former id resolves to its current one), or
        the first served model when none is named."""
        names = self.chat_models()
        if not names:
            raise BackendUnavailable()
        chosen = canonical_model(model, names) if model else names[0]
        grant = payer.key if payer else None
        if chosen not in names or (grant is not None and not grant.allows(chosen)):
            raise ModelNotFound(chosen)
        return chosen

    # -- chat -----------------------------------------------------------------------------
    def chat(self, messages: list[dict[str, Any]], *, model: str | None = None,
             max_tokens: int = 256, temperature: float = 0.0, context: CallContext,
             traditional: bool | None = None, payer: Payer | None = None) -> ChatResult:
        """Run a chat completion to the end (see :meth:`stream_chat` for the steps)."""
        stream = self.stream_chat(messages, model=model, max_tokens=max_tokens,
                                  temperature=temperature, context=context,
                                  options=Options(payer=payer, traditional=traditional))
        for _ in stream:
            pass
        assert stream.result is not None
        return stream.result

    def stream_chat(self, messages: Any, *, model: str | None = None, max_tokens: int = 256,
                    temperature: float = 0.0, context: CallContext,
                    options: Options = Options()) -> ChatStream:
        if not isinstance(messages, list) or not messages:
            raise InvalidRequest(N_("Send at least one message."), param="messages")
        if len(messages) > self.settings.max_messages:
            raise InvalidRequest(N_("Send at most {limit} messages."), param="messages",
                                 limit=self.settings.max_messages)
        cleaned = [message_text(m, i) for i, m in enumerate(messages)]
        return self._run(cleaned, None, model, max_tokens, temperature, context, options)

    def complete(self, prompt: Any, *, model: str | None = None, max_tokens: int = 16,
                 temperature: float = 0.0, context: CallContext,
                 options: Options = Options(endpoint="completions")) -> ChatStream:
        """A raw completion (``/v1/completions``): the prompt is continued, not chatted to."""
        if isinstance(prompt, list) and len(prompt) == 1:
            prompt = prompt[0]
        if not isinstance(prompt, str) or not prompt or "\x00" in prompt:
            raise InvalidRequest(N_("The prompt must be one non-empty text."), param="prompt")
        return self._run(None, prompt, model, max_tokens, temperature, context, options)

    def _check_limits(self, texts: list[str], max_tokens: int, temperature: float,
                      payer: Payer | None) -> None:
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or not (
                1 <= max_tokens <= self.settings.max_tokens_limit):
            raise InvalidRequest(N_("max_tokens must be between 1 and {limit}."),
                                 param="max_tokens", limit=self.settings.max_tokens_limit)
        if not isinstance(temperature, (int, float)) or not 0 <= temperature <= 2:
            raise InvalidRequest(N_("temperature must be between 0 and 2."), param="temperature")
        limit = payer.key.max_prompt_chars if payer and payer.key else self.settings.max_prompt_chars
        size = sum(len(text) for text in texts)
        if size > limit:
            raise PromptTooLong(size, limit)

    def _run(self, messages: list[dict[str, str]] | None, prompt: str | None, model: str | None,
             max_tokens: int, temperature: float, context: CallContext,
             options: Options) -> ChatStream:
        started = time.perf_counter()
        texts = [m["content"] for m in messages] if messages is not None else [prompt or ""]
        self._check_limits(texts, max_tokens, temperature, options.payer)
        chosen = self.resolve_model(model, options.payer)
        usage_id = self._admit(options, chosen)
        try:
            vault = self._vault()
            trusted = [m["role"] == "system" for m in messages] if messages is not None else [False]
            masked = self._guard_input(texts, trusted, vault, context, chosen, usage_id, options)
            request = BackendRequest(
                model=chosen, max_tokens=max_tokens, temperature=float(temperature),
                messages=[{**m, "content": t} for m, t in zip(messages, masked, strict=True)]
                if messages is not None else None,
                prompt=masked[0] if messages is None else None, stop=list(options.stop))
            usage = Usage()
            assert self.backend is not None
            deltas = self.backend.stream(request, usage)
        except AiplusError as exc:
            self._finish(options, chosen, usage_id, exc.code, Usage(), started, None)
            raise
        stream = ChatStream(iter(()), chosen)
        pieces = self._release(stream, deltas, usage, vault, context, options, chosen, usage_id,
                               started, max_tokens)
        first = self._prime(pieces)
        stream._pieces = first
        return stream

    @staticmethod
    def _prime(pieces: Iterator[str]) -> Iterator[str]:
        """Start generation now, so a backend that fails before its first token fails the
        call itself (an HTTP error) rather than a stream already answered with 200."""
        try:
            head = next(pieces)
        except StopIteration:
            return iter(())

        def chained() -> Iterator[str]:
            try:
                yield head
                yield from pieces
            finally:
                pieces.close()  # type: ignore[attr-defined]

        return chained()

    def _release(self, stream: ChatStream, deltas: Iterator[str], usage: Usage,
                 vault: Vault | None, context: CallContext, options: Options, model: str,
                 usage_id: int | None, started: float, max_tokens: int) -> Iterator[str]:
        traditional = self.settings.traditional if options.traditional is None \
            else options.traditional
        parts: list[str] = []
        ttft: float | None = None
        finish, status = "stop", "ok"
        try:
            for sentence in sentences(deltas):
                scan = self.guardrails.scan(sentence, Direction.OUTPUT, context)
                if not scan.allowed:
                    self._record_block(context, model, scan, Direction.OUTPUT)
                    piece, finish, status = REFUSAL, "content_filter", "output_blocked"
                else:
                    piece = vault.restore(scan.sanitized) if vault else scan.sanitized
                    piece = to_traditional(piece) if traditional else piece
                if ttft is None:
                    ttft = time.perf_counter() - started
                parts.append(piece)
                yield piece
                if finish == "content_filter":
                    break
            if finish == "stop":
                finish = _finish_reason(usage, max_tokens)
        except GeneratorExit:
            status = "cancelled"
            raise
        except AiplusError as exc:
            status = exc.code
            raise
        except Exception:
            status = "backend_error"
            log.exception("gateway generation failed")
            raise BackendUnavailable() from None
        finally:
            close = getattr(deltas, "close", None)
            if close:
                close()
            self._finish(options, model, usage_id, status, usage, started, ttft)
            stream.result = ChatResult(
                text="".join(parts), model=model, prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens, finish_reason=finish,
                latency_ms=(time.perf_counter() - started) * 1000,
                ttft_ms=ttft * 1000 if ttft is not None else None)

    # -- steps ----------------------------------------------------------------------------
    def _vault(self) -> Vault | None:
        if not self.settings.anonymize or self.vault_factory is None:
            return None
        return self.vault_factory()

    def _admit(self, options: Options, model: str) -> int | None:
        if self.db is None or options.payer is None:
            return None
        limits = Limits(self.settings.session_requests_per_minute,
                        self.settings.session_requests_per_day,
                        self.settings.session_tokens_per_minute,
                        self.settings.session_tokens_per_day)
        return admit(self.db, options.payer, options.endpoint, model, limits)

    def _guard_input(self, texts: list[str], trusted: list[bool], vault: Vault | None,
                     context: CallContext, model: str, usage_id: int | None,
                     options: Options) -> list[str]:
        """Scan and mask what users and documents supplied; pass the caller's own system
        messages through untouched. A system message is an app's prompt template or the key
        owner's policy, so wording such as "reply with the translation only" must never be
        mistaken for an injection or have a heading masked as a name. Documents inside the
        other messages (``context.documents``) are scanned as documents (see
        :meth:`_scan_input`)."""
        cleaned = iter(self._scan_input([t for t, own in zip(texts, trusted, strict=True)
                                         if not own], context, model, usage_id, options))
        guarded = []
        for text, own in zip(texts, trusted, strict=True):
            if own:
                guarded.append(text)
                continue
            clean = next(cleaned)
            guarded.append(vault.anonymize(clean) if vault else clean)
        return guarded

    def _scan_input(self, texts: list[str], context: CallContext, model: str,
                    usage_id: int | None, options: Options) -> list[str]:
        """``texts`` after the guardrails, or :class:`ContentBlocked`. In each text, every
        document the caller declared (``context.documents``: retrieved passages, uploads) is
        scanned on its own as a document, so an instruction hidden in it meets the
        indirect-injection scanner; the rest, the user's own words, is scanned as input."""
        sanitized = []
        for text in texts:
            parts = split_documents(text, context.documents)
            if any(document for _, document in parts):
                sanitized.append(self._scan_with_documents(parts, context, model))
            else:
                sanitized.append(self._scan_one(text, Direction.INPUT, context, model))
        return sanitized

    def _scan_with_documents(self, parts: list[tuple[str, bool]], context: CallContext,
                             model: str) -> str:
        """One text holding documents: the user's words judged together (one input scan,
        headings and question alike), each document on its own."""
        own = [piece for piece, document in parts if not document and piece.strip()]
        joined = "\n".join(own)
        cleaned: dict[str, str] = {}
        if own and self._scan_one(joined, Direction.INPUT, context, model) != joined:
            # Something in the user's words was redacted: redact them piece by piece.
            cleaned = {piece: self._scan_one(piece, Direction.INPUT, context, model)
                       for piece in own}
        return "".join(self._scan_one(piece, Direction.DOCUMENT, context, model) if document
                       else cleaned.get(piece, piece) for piece, document in parts)

    def _scan_one(self, text: str, direction: Direction, context: CallContext,
                  model: str) -> str:
        """``text`` as the guardrails pass it on for ``direction``; a block is audited and
        raised."""
        scan = self.guardrails.scan(text, direction, context)
        if not scan.allowed:
            self._record_block(context, model, scan, direction)
            kinds = sorted({finding.kind for finding in scan.findings})
            raise ContentBlocked(details={"findings": kinds})
        return scan.sanitized

    def _record_block(self, context: CallContext, model: str, scan: ScanResult,
                      direction: Direction) -> None:
        """An AI decision: audit it, naming the scanners and kinds but never the text."""
        if self.db is None:
            return
        with self.db.transaction() as session:
            audit.record(session, actor=context.user or "gateway", org=context.org,
                         action="gateway.blocked", target=model,
                         detail={"direction": direction.value, "app": context.app,
                                 "score": scan.score,
                                 "findings": [[f.scanner, f.kind] for f in scan.findings]})

    def _finish(self, options: Options, model: str, usage_id: int | None, status: str,
                usage: Usage, started: float, ttft: float | None) -> None:
        latency = time.perf_counter() - started
        self.metrics.observe(options.endpoint, model, status, prompt_tokens=usage.prompt_tokens,
                             completion_tokens=usage.completion_tokens, latency_s=latency,
                             ttft_s=ttft)
        if usage_id is not None and self.db is not None:
            settle(self.db, usage_id, status=status, prompt_tokens=usage.prompt_tokens,
                   completion_tokens=usage.completion_tokens, latency_ms=latency * 1000,
                   ttft_ms=ttft * 1000 if ttft is not None else None)

    def close(self) -> None:
        if self.backend is not None:
            self.backend.close()

    # -- embeddings -----------------------------------------------------------------------
    def embed(self, inputs: Any, *, model: str | None = None, context: CallContext,
              payer: Payer | None = None, query: bool = False) -> tuple[list[list[float]], int]:
        """Vectors for ``inputs`` (text or list of texts), after the input guardrails."""
        started = time.perf_counter()
        texts = [inputs] if isinstance(inputs, str) else inputs
        if not isinstance(texts, list) or not texts or not all(
                isinstance(t, str) and t and "\x00" not in t for t in texts):
            raise InvalidRequest(N_("input must be a non-empty text or a list of non-empty "
                                    "texts."), param="input")
        if len(texts) > self.settings.max_embedding_inputs:
            raise InvalidRequest(N_("Send at most {limit} inputs at once."), param="input",
                                 limit=self.settings.max_embedding_inputs)
        chosen = model or Embedder.MODEL
        if chosen != Embedder.MODEL or (payer and payer.key and not payer.key.allows(chosen)):
            raise ModelNotFound(chosen)
        limit = payer.key.max_prompt_chars if payer and payer.key else self.settings.max_prompt_chars
        if (size := sum(len(t) for t in texts)) > limit:
            raise PromptTooLong(size, limit)
        options = Options(endpoint="embeddings", payer=payer)
        usage_id = self._admit(options, chosen)
        try:
            vectors, tokens = self.embedder.embed(
                self._scan_input(texts, context, chosen, usage_id, options), query=query)
        except AiplusError as exc:
            self._finish(options, chosen, usage_id, exc.code, Usage(), started, None)
            raise
        except (OSError, RuntimeError) as exc:
            log.exception("embedding model failed")
            self._finish(options, chosen, usage_id, "backend_error", Usage(), started, None)
            raise BackendUnavailable() from exc
        self._finish(options, chosen, usage_id, "ok", Usage(prompt_tokens=tokens), started, None)
        return vectors, tokens

