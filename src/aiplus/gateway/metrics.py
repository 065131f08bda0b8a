"""Prometheus figures for every gateway call: requests by outcome, tokens, latency, TTFT.

The figures live per platform (:func:`metrics_of`), not per web app nor per gateway, so they
exist before any gateway is built: the ``/v1`` router's lifespan forwards them into the web
app's ``/metrics`` registry when the app starts (:func:`expose`), and every series is there,
at zero, before the first call.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from aiplus.platform.services import Platform

SHARED_KEY = "llm-gateway.metrics"
_expose_lock = threading.Lock()
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("aiplus_gateway_requests", "Gateway calls by outcome.",
                                ["endpoint", "model", "status"], registry=self.registry)
        self.tokens = Counter("aiplus_gateway_tokens", "Tokens read and written by models.",
                              ["model", "kind"], registry=self.registry)
        self.latency = Histogram("aiplus_gateway_latency_seconds", "Whole-call latency.",
                                 ["endpoint", "model"], buckets=LATENCY_BUCKETS,
                                 registry=self.registry)
        self.ttft = Histogram("aiplus_gateway_time_to_first_token_seconds",
                              "Time until the first text reached the caller.", ["model"],
                              buckets=LATENCY_BUCKETS, registry=self.registry)

    def observe(self, endpoint: str, model: str, status: str, *, prompt_tokens: int = 0,
                completion_tokens: int = 0, latency_s: float | None = None,
                ttft_s: float | None = None) -> None:
        self.requests.labels(endpoint, model, status).inc()
        if prompt_tokens:
            self.tokens.labels(model, "prompt").inc(prompt_tokens)
        if completion_tokens:
            self.tokens.labels(model, "completion").inc(completion_tokens)
        if latency_s is not None:
            self.latency.labels(endpoint, model).observe(latency_s)
        if ttft_s is not None:
            self.ttft.labels(model).observe(ttft_s)


class Forward(Collector):
    """Lets another registry (the web app's) report this gateway's metrics."""

    def __init__(self, metrics: GatewayMetrics) -> None:
        self.metrics = metrics

    def collect(self):  # type: ignore[no-untyped-def]
        return self.metrics.registry.collect()


def metrics_of(platform: Platform) -> GatewayMetrics:
    """The platform's gateway figures, made once."""
    return platform.shared(SHARED_KEY, GatewayMetrics)  # type: ignore[no-any-return]


def expose(state: Any, metrics: GatewayMetrics) -> None:
    """Report ``metrics`` in the web app's registry (``app.state.metrics``), once per app."""
    with _expose_lock:
        if getattr(state, "gateway_metrics", None) is not metrics:
            state.metrics.register(Forward(metrics))
            state.gateway_metrics = metrics
