"""Assurance results kept per model version, and their comparison across versions."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import jsonschema
from sqlalchemy.orm import Session

from aiplus.core import audit
from aiplus.core.errors import NotFound
from aiplus.core.i18n import N_
from aiplus.ethics.assurance import PLUGINS
from aiplus.ethics.assurance.contract import AssuranceData, AssurancePlugin
from aiplus.models.registry import AssuranceResult, ModelVersion, RegisteredModel


def plugin_named(name: str) -> AssurancePlugin:
    if name not in PLUGINS:
        raise NotFound(N_("There is no assurance test called {name}. Tests: {names}."),
                       name=name, names=", ".join(PLUGINS))
    return PLUGINS[name]


def record_result(session: Session, row: ModelVersion, *, plugin: str, output: dict[str, Any],
                  actor: str, params: dict[str, Any] | None = None,
                  seconds: float = 0.0) -> AssuranceResult:
    """Store one plugin's output against ``row`` (checked against the plugin's schema)."""
    spec = plugin_named(plugin)
    params = spec.parameters(params)
    jsonschema.validate(output, spec.output_schema)
    passed = spec.verdict(output, params)
    summary = ", ".join(f"{k}={v:.3f}" for k, v in spec.headline(output).items()
                        if isinstance(v, float))
    result = AssuranceResult(model_version=row, plugin=spec.name, plugin_version=spec.version,
                             params=params, output=output, passed=passed, summary=summary[:1000],
                             seconds=round(seconds, 3), created_by=actor)
    session.add(result)
    session.flush()
    audit.record(session, actor=actor, org=row.model.org, action="assurance.result",
                 target=row.ref, detail={"plugin": spec.name, "passed": passed, "id": result.id})
    return result


def run_suite(data: AssuranceData, names: Iterable[str] | None = None,
              params: dict[str, dict[str, Any]] | None = None
              ) -> dict[str, tuple[dict[str, Any], dict[str, Any], float]]:
    """Run the named plugins (all that the data allows when None): name → (params, output,
    seconds). Work done outside any transaction: the results are stored afterwards."""
    params = params or {}
    chosen = list(names) if names is not None else [
        n for n, p in PLUGINS.items() if all(getattr(data, need) is not None for need in p.needs)]
    done = {}
    for name in chosen:
        started = time.perf_counter()
        used, output = plugin_named(name).execute(data, params.get(name))
        done[name] = (used, output, time.perf_counter() - started)
    return done


def store_suite(session: Session, row: ModelVersion, done: dict[str, tuple[dict[str, Any],
                dict[str, Any], float]], actor: str) -> list[AssuranceResult]:
    return [record_result(session, row, plugin=name, output=output, params=used, actor=actor,
                          seconds=seconds) for name, (used, output, seconds) in done.items()]


def compare(model: RegisteredModel, plugin: str) -> list[dict[str, Any]]:
    """The latest result of ``plugin`` on each version, headline figures side by side."""
    spec = plugin_named(plugin)
    rows = []
    for version in model.versions:
        latest = version.latest_results().get(plugin)
        if latest is not None:
            rows.append({"version": version.version, "status": version.status,
                         "passed": latest.passed, "result_id": latest.id,
                         "figures": spec.headline(latest.output)})
    return rows
