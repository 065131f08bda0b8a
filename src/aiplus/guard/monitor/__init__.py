"""The AI security monitor: incidents from guardrails, dashboard queries, alerts, export."""
