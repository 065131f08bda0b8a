"""``POST /api/guard/pii``: find Hong Kong personal data in a text and return it anonymised.

Any signed-in user or API token may call it. Request ``{"text": "...", "types": [...]?,
"language": "auto"?}``; response ``{"entities": [{"type", "start", "end", "score", "text"}],
"anonymized": "..."}`` where offsets are Python string indices (code points) and
``anonymized`` is what a :class:`~aiplus.guard.pii.vault.Vault` would send to a model. Names
and addresses in prose are looked for (``ner=True``). Nothing is stored or logged: the text
is personal data by assumption.
"""

from __future__ import annotations

import json
import os
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from aiplus.core.errors import BadRequest, PayloadTooLarge, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.guard.pii.analyzer import analyze, parse_types
from aiplus.guard.pii.entities import ALL_TYPES
from aiplus.guard.pii.vault import Vault
from aiplus.platform.security import Principal, require_user

MAX_TEXT_CHARS = int(os.environ.get("AIPLUS_PII_MAX_CHARS", "100000"))
LANGUAGES = ("auto", "en", "zh-Hant")

router = APIRouter(prefix="/api/guard", tags=["ai-security"])


def _body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(N_("The request body is not valid JSON.")) from error
    if not isinstance(body, dict):
        raise ValidationFailed(N_('Send a JSON object with a "text" field.'))
    return body


def validate(body: dict[str, Any]) -> tuple[str, frozenset[str] | None]:
    """The text and the requested types, or a clear error (422, 413 or 400)."""
    max_chars = MAX_TEXT_CHARS
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed(N_('"text" is required and must be a non-empty string.'))
    if len(text) > max_chars:
        raise PayloadTooLarge(N_("The text is longer than the limit of {limit} characters."),
                              limit=max_chars)
    language = body.get("language", "auto")
    if language not in LANGUAGES:
        raise BadRequest(N_('"language" must be one of: {choices}.'), choices=", ".join(LANGUAGES))
    types = body.get("types")
    if types is not None and (not isinstance(types, list)
                              or not all(isinstance(t, str) for t in types)):
        raise ValidationFailed(N_('"types" must be a list of type names.'))
    try:
        return text, parse_types(types)
    except ValueError as error:
        raise BadRequest(N_("Unknown PII type in {types}; known types: {known}."),
                         types=", ".join(types or []), known=", ".join(ALL_TYPES)) from error


def detect(text: str, types: frozenset[str] | None) -> dict[str, Any]:
    entities = analyze(text, types, ner=True)
    anonymized = Vault(types).anonymize(text, entities)
    return {"entities": [e.as_dict() for e in entities], "anonymized": anonymized}


@router.post("/pii", summary="Find Hong Kong personal data in a text, and anonymise it")
async def find_pii(
    request: Request, principal: Principal = Depends(require_user)
) -> dict[str, Any]:
    text, types = validate(_body(await request.body()))
    return await run_in_threadpool(detect, text, types)
