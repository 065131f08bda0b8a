"""Guardrail scanners (injection, secrets, banned topics, PII leaks, canaries), their
policies and the redaction of stored text. :mod:`aiplus.guard.pipeline` chains them into the
platform's guardrails."""
