"""Gateway errors: platform errors that also carry OpenAI's ``code`` and ``param``.

Each subclasses the platform error with the right HTTP status, so in-process callers catch
the usual ``Unavailable``/``Forbidden``/``NotFound``, and :mod:`.openai_errors` renders them
in OpenAI's envelope for ``/v1`` clients.
"""

from __future__ import annotations

from aiplus.core.errors import BadRequest, Forbidden, NotFound, RateLimited, Unavailable
from aiplus.core.i18n import N_


class InvalidRequest(BadRequest):
    code = "invalid_request_error"

    def __init__(self, message: str, *, param: str | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.param = param


class PromptTooLong(InvalidRequest):
    code = "context_length_exceeded"
    default_message = N_("The prompt has {size} characters; the limit for this key is {limit}.")

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(self.default_message, param="messages", size=size, limit=limit)


class ModelNotFound(NotFound):
    code = "model_not_found"
    default_message = N_("The model '{model}' does not exist or you do not have access to it.")
    param = "model"

    def __init__(self, model: str) -> None:
        super().__init__(self.default_message, model=model)


class ContentBlocked(Forbidden):
    """The guardrails refused the prompt. HTTP 400, as OpenAI answers a policy violation;
    still a ``Forbidden`` for in-process callers."""

    status_code = 400
    code = "content_policy_violation"
    default_message = N_("The request was blocked by the content policy of this gateway.")
    param = "messages"


class RateLimitExceeded(RateLimited):
    code = "rate_limit_exceeded"
    default_message = N_("Rate limit reached: {limit} {unit} per minute. Please wait "
                         "{retry_after} seconds and try again.")


class QuotaExhausted(RateLimited):
    code = "insufficient_quota"
    default_message = N_("The daily quota of {limit} {unit} for this key is used up. Please "
                         "try again in {retry_after} seconds or ask for a larger quota.")


class BackendUnavailable(Unavailable):
    code = "backend_unavailable"
    default_message = N_("The language model is not available right now. Please try again "
                         "shortly.")
