"""What a request wants back: its language, and HTML or the page's JSON twin."""

from __future__ import annotations

from starlette.requests import Request

from aiplus.core.i18n import LANG_COOKIE, Translator, negotiate, translator


def locale_of(request: Request) -> str:
    cached = request.scope.get("aiplus.locale")
    if cached is None:
        cached = request.scope["aiplus.locale"] = negotiate(
            request.query_params.get("lang"),
            request.cookies.get(LANG_COOKIE),
            request.headers.get("accept-language"),
        )
    return cached  # type: ignore[no-any-return]


def translator_of(request: Request) -> Translator:
    return translator(locale_of(request))


def wants_json(request: Request) -> bool:
    """JSON for the API, for ``?format=json``, and for clients that prefer it to HTML."""
    if request.url.path.startswith(("/api/", "/v1/")) or request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
