"""``/v1``: the OpenAI-compatible API, a thin layer over :class:`~.service.Gateway`.

Callers authenticate with an organisation's gateway key (``Authorization: Bearer aig_...``),
or as a signed-in platform user charged to their organisation (the playground's way).
Extensions beyond OpenAI's API: body field ``traditional`` or header
``X-AIPlus-Traditional: false`` keeps Chinese output as the model wrote it; body field
``input_type: "query"`` embeds search queries with e5's query prefix.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from aiplus.core.errors import AiplusError, Forbidden, Unauthenticated
from aiplus.core.i18n import N_
from aiplus.core.identity import Organisation, Principal, Role
from aiplus.guard.contract import CallContext
from aiplus.gateway import gateway_of
from aiplus.gateway.backends import Embedder, canonical_model
from aiplus.gateway.errors import ModelNotFound
from aiplus.gateway.keys import KEY_PREFIX, authenticate_key
from aiplus.gateway.ledger import Payer
from aiplus.gateway.metrics import expose, metrics_of
from aiplus.gateway.openai_errors import error_body
from aiplus.gateway.service import ChatStream, Gateway, Options
from aiplus.platform.negotiation import translator_of
from aiplus.platform.security import (
    bearer_secret,
    platform_of,
    register_token_resolver,
    request_guard,
)
from aiplus.platform.services import Platform

ORG_HEADER = "x-aiplus-org"
TRADITIONAL_HEADER = "x-aiplus-traditional"


@asynccontextmanager
async def _expose_metrics(app: FastAPI) -> AsyncIterator[None]:
    """At start-up, put the gateway's series on the app's ``/metrics`` (all at zero)."""
    expose(app.state, metrics_of(app.state.platform))
    yield


router = APIRouter(prefix="/v1", tags=["gateway (OpenAI-compatible)"], lifespan=_expose_metrics)


def _key_principal(platform: Platform, secret: str) -> Principal:
    """Gateway keys pass the platform's request guard as a principal with no user: they open
    the ``/v1`` routes and nothing that needs a signed-in person."""
    with platform.db.read() as session:
        grant = authenticate_key(session, secret)
    return Principal(username=f"gateway-key:{grant.id}", via="gateway-key")


register_token_resolver(KEY_PREFIX, _key_principal)


@dataclass(frozen=True)
class Caller:
    payer: Payer
    context: CallContext


def _officer_org(request: Request, principal: Principal, platform: Platform) -> tuple[str, int]:
    wanted = request.headers.get(ORG_HEADER)
    orgs = [wanted] if wanted else sorted(principal.roles)
    for slug in orgs:
        if principal.has_role(slug, Role.OFFICER, Role.REVIEWER, Role.DATA_STEWARD):
            with platform.db.read() as session:
                org_id = session.scalar(select(Organisation.id).where(Organisation.slug == slug))
            if org_id is not None:
                return slug, org_id
    raise Forbidden(N_("Only officers of an organisation may use the gateway without a key."))


def caller(request: Request, principal: Principal = Depends(request_guard)) -> Caller:
    platform = platform_of(request)
    # Servers started without a lifespan (some test servers) still report the figures.
    expose(request.app.state, metrics_of(platform))
    if principal.via == "gateway-key":
        with platform.db.read() as session:
            grant = authenticate_key(session, bearer_secret(request.headers["authorization"]))
        return Caller(payer=Payer(org_id=grant.org_id, key=grant),
                      context=CallContext(org=grant.org, app="gateway-api",
                                          user=f"key:{grant.name}"))
    if not principal.authenticated:
        raise Unauthenticated(N_("Send a gateway API key: Authorization: Bearer aig_..."))
    org, org_id = _officer_org(request, principal, platform)
    return Caller(payer=Payer(org_id=org_id, user=principal.username),
                  context=CallContext(org=org, app="gateway-api", user=principal.username))


def _traditional(request: Request, body_value: bool | None) -> bool | None:
    if body_value is not None:
        return body_value
    header = request.headers.get(TRADITIONAL_HEADER)
    return None if header is None else header.strip().lower() not in {"false", "0", "no"}


class StreamOptions(BaseModel):
    include_usage: bool = False


class GenerationBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str | None = Field(default=None, max_length=100)
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    temperature: float = 0.0
    stream: bool = False
    stream_options: StreamOptions | None = None
    stop: str | list[str] | None = None
    n: Literal[1] = 1
    traditional: bool | None = Field(default=None, description="AI Plus extension: false keeps "
                                     "Chinese output unconverted (default: Traditional, s2hk).")

    def options(self, request: Request, endpoint: str, who: Caller) -> Options:
        stop = [self.stop] if isinstance(self.stop, str) else list(self.stop or [])
        return Options(endpoint=endpoint, payer=who.payer, stop=tuple(stop[:4]),
                       traditional=_traditional(request, self.traditional))

    def limit(self, default: int) -> int:
        return self.max_completion_tokens or self.max_tokens or default


class ChatBody(GenerationBody):
    messages: list[Any]


class CompletionBody(GenerationBody):
    prompt: str | list[str]


class EmbeddingBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    input: str | list[str]
    model: str | None = Field(default=None, max_length=100)
    encoding_format: Literal["float", "base64"] = "float"
    input_type: Literal["query", "passage"] = "passage"


def _model_entry(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "aiplus"}


@router.get("/models", summary="Models this caller may use")
def list_models(request: Request, who: Caller = Depends(caller)) -> dict[str, Any]:
    gateway = gateway_of(platform_of(request))
    key = who.payer.key
    names = [n for n in gateway.models() if key is None or key.allows(n)]
    return {"object": "list", "data": [_model_entry(n) for n in names]}


@router.get("/models/{model}", summary="One model")
def get_model(model: str, request: Request, who: Caller = Depends(caller)) -> dict[str, Any]:
    names = gateway_of(platform_of(request)).models()
    model = canonical_model(model, names)
    if model not in names or (who.payer.key and not who.payer.key.allows(model)):
        raise ModelNotFound(model)
    return _model_entry(model)


def _sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def _events(request: Request, stream: ChatStream, kind: str, include_usage: bool,
            call_id: str) -> Iterator[str]:
    created = int(time.time())
    base = {"id": call_id, "object": kind, "created": created, "model": stream.model}

    def choice(text: str | None, finish: str | None) -> dict[str, Any]:
        if kind == "text_completion":
            return {"index": 0, "text": text or "", "finish_reason": finish, "logprobs": None}
        delta = {} if text is None else {"content": text}
        return {"index": 0, "delta": delta, "finish_reason": finish}

    try:
        if kind == "chat.completion.chunk":
            yield _sse({**base, "choices": [{"index": 0, "delta": {"role": "assistant",
                                                                     "content": ""},
                                             "finish_reason": None}]})
        for piece in stream:
            yield _sse({**base, "choices": [choice(piece, None)]})
    except AiplusError as error:
        message = translator_of(request)(error.message, **error.params)
        yield _sse(error_body(error, message))
        return
    finally:
        stream.close()
    result = stream.result
    finish = result.finish_reason if result else "stop"
    yield _sse({**base, "choices": [choice(None if kind != "text_completion" else "", finish)]})
    if include_usage and result:
        yield _sse({**base, "choices": [], "usage": _usage(result.prompt_tokens,
                                                             result.completion_tokens)})
    yield "data: [DONE]\n\n"


def _usage(prompt: int, completion: int) -> dict[str, int]:
    return {"prompt_tokens": prompt, "completion_tokens": completion,
            "total_tokens": prompt + completion}


def _respond(request: Request, stream: ChatStream, body: GenerationBody, kind: str) -> Response:
    call_id = ("chatcmpl-" if kind.startswith("chat") else "cmpl-") + uuid.uuid4().hex
    if body.stream:
        include = bool(body.stream_options and body.stream_options.include_usage)
        return StreamingResponse(_events(request, stream, kind + (".chunk" if kind.startswith(
            "chat") else ""), include, call_id), media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    for _ in stream:
        pass
    result = stream.result
    assert result is not None
    if kind == "text_completion":
        choice: dict[str, Any] = {"index": 0, "text": result.text, "logprobs": None,
                                  "finish_reason": result.finish_reason}
    else:
        choice = {"index": 0, "message": {"role": "assistant", "content": result.text},
                  "finish_reason": result.finish_reason, "logprobs": None}
    return JSONResponse({"id": call_id, "object": kind, "created": result.created,
                         "model": result.model, "choices": [choice],
                         "usage": _usage(result.prompt_tokens, result.completion_tokens)})


@router.post("/chat/completions", summary="Chat completion (OpenAI-compatible; SSE when "
             "stream is true)")
def chat_completions(body: ChatBody, request: Request,
                     who: Caller = Depends(caller)) -> Response:
    stream = gateway_of(platform_of(request)).stream_chat(
        body.messages, model=body.model, max_tokens=body.limit(256),
        temperature=body.temperature, context=who.context,
        options=body.options(request, "chat", who))
    return _respond(request, stream, body, "chat.completion")


@router.post("/completions", summary="Text completion (OpenAI-compatible, legacy)")
def completions(body: CompletionBody, request: Request, who: Caller = Depends(caller)) -> Response:
    stream = gateway_of(platform_of(request)).complete(
        body.prompt, model=body.model, max_tokens=body.limit(16), temperature=body.temperature,
        context=who.context, options=body.options(request, "completions", who))
    return _respond(request, stream, body, "text_completion")


@router.post("/embeddings", summary="Embeddings with multilingual-e5-small (384 dimensions)")
def embeddings(body: EmbeddingBody, request: Request,
               who: Caller = Depends(caller)) -> dict[str, Any]:
    vectors, tokens = gateway_of(platform_of(request)).embed(
        body.input, model=body.model, context=who.context, payer=who.payer,
        query=body.input_type == "query")

    def encoded(vector: list[float]) -> list[float] | str:
        if body.encoding_format == "base64":
            return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode()
        return vector

    return {"object": "list", "model": body.model or Embedder.MODEL,
            "data": [{"object": "embedding", "index": i, "embedding": encoded(v)}
                     for i, v in enumerate(vectors)],
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}
