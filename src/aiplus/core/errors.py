"""One error hierarchy for the whole platform, mapped once to HTTP by the platform layer.

Each error carries an English message template (marked for translation) and parameters, so
the web layer can show it in the asker's language without the domain knowing about HTTP.
"""

from __future__ import annotations

from typing import Any

from aiplus.core.i18n import N_


class AiplusError(Exception):
    """Base of every error the platform reports to a person."""

    status_code = 500
    code = "internal_error"
    default_message = N_("Something went wrong on our side. The error has been logged.")

    def __init__(
        self, message: str | None = None, *, details: Any = None, **params: object
    ) -> None:
        self.message = message or self.default_message
        self.params = params
        self.details = details
        super().__init__(self.message.format(**params) if params else self.message)


class BadRequest(AiplusError):
    status_code = 400
    code = "bad_request"
    default_message = N_("The request could not be understood.")


class ValidationFailed(AiplusError):
    status_code = 422
    code = "validation_error"
    default_message = N_("Some fields are missing or invalid.")


class Unauthenticated(AiplusError):
    status_code = 401
    code = "unauthenticated"
    default_message = N_("Please sign in or send a valid API token.")


class Forbidden(AiplusError):
    status_code = 403
    code = "forbidden"
    default_message = N_("You do not have permission to do this.")


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    default_message = N_("The form has expired or did not come from this site. Please try again.")


class NotFound(AiplusError):
    status_code = 404
    code = "not_found"
    default_message = N_("Nothing was found at this address.")


class MethodNotAllowed(AiplusError):
    status_code = 405
    code = "method_not_allowed"
    default_message = N_("This address does not accept that kind of request.")


class Conflict(AiplusError):
    status_code = 409
    code = "conflict"
    default_message = N_("This conflicts with something that already exists.")


class PayloadTooLarge(AiplusError):
    status_code = 413
    code = "payload_too_large"
    default_message = N_("The request is larger than the limit of {limit} bytes.")


class UnsupportedMediaType(AiplusError):
    status_code = 415
    code = "unsupported_media_type"
    default_message = N_("This content type is not accepted here.")


class RateLimited(AiplusError):
    status_code = 429
    code = "rate_limited"
    default_message = N_("Too many requests. Please wait {retry_after} seconds and try again.")


class Unavailable(AiplusError):
    status_code = 503
    code = "unavailable"
    default_message = N_("The service is not ready yet. Please try again shortly.")
