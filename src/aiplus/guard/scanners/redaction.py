"""Text the guard may keep: secrets and personal data masked, cut to a length a reviewer can
read. Incidents and red-team results store only this, so neither log becomes a copy of what
users or models wrote."""

from __future__ import annotations

from aiplus.guard.scanners.pii_leak import redact_pii
from aiplus.guard.scanners.secrets import find as find_secrets, redact as redact_secrets

MAX_STORED_CHARS = 2000


def redacted(text: str) -> str:
    """Secrets and personal data masked, cut to a length a reviewer can read."""
    clean = redact_pii(redact_secrets(text, find_secrets(text)))
    return clean if len(clean) <= MAX_STORED_CHARS else clean[:MAX_STORED_CHARS - 1] + "…"
