"""Guardrail scanners (injection, secrets, banned topics, PII leaks, canaries), their
policies and the platform pipeline. Entry point: :func:`guardrails_of` (from
:mod:`.pipeline`, loaded on first use: the pipeline records incidents through the monitor,
which itself uses the scanners' redaction, so an eager import here would be circular)."""

from __future__ import annotations

from typing import Any

__all__ = ["PlatformGuardrails", "guardrails_of"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from aiplus.guard.scanners import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
