"""Governance: AI security monitor, guardrails and Hong Kong PII protection."""
