"""Drift monitoring of deployed models: monitors, checks as jobs, alerts to the AI security
monitor.

A monitor keeps a reference sample (what the model was validated on) and the latest recent
sample of inputs and predictions, as CSV files. The ``responsible-ai.drift-checks`` job
(:mod:`.jobs`) checks every monitor that is due (its interval has passed) or one named
monitor; run it from a timer (cron, systemd) to schedule checks. A drifted check raises an
incident in the AI security monitor, whose alert rules then notify people as for any other
incident.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select

from aiplus.core import audit
from aiplus.core.db import Database, utcnow
from aiplus.core.errors import Forbidden, NotFound
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.core.storage import FileStore
from aiplus.ethics.drift.stats import drift_report
from aiplus.ethics.drift.tables import DriftCheck, DriftMonitor
from aiplus.guard.contract import CallContext, Direction, Finding, ScanResult
from aiplus.guard.monitor.incidents import record_incident
from aiplus.models.registry import get_version
from aiplus.platform.services import Platform

SYSTEM = "system:drift"


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def create_monitor(platform: Platform, principal: Principal, name: str, version: str, *,
                   reference: pd.DataFrame, columns: list[str],
                   prediction_column: str | None = None, recent: pd.DataFrame | None = None,
                   threshold: float = 0.5, interval_hours: int = 24) -> dict[str, Any]:
    """Create (or replace the data of) the monitor of one version."""
    drift_report(reference, reference, columns, prediction_column)  # checks the columns
    with platform.db.transaction() as session:
        row = get_version(session, name, version)
        if not principal.has_role(row.model.org, Role.OFFICER, Role.DATA_STEWARD):
            raise Forbidden()
        folder = f"drift/{row.id}"
        platform.files.write_bytes(f"{folder}/reference.csv", _csv(reference))
        monitor = session.scalar(select(DriftMonitor).where(DriftMonitor.version_id == row.id))
        if monitor is None:
            monitor = DriftMonitor(model_version=row, reference_key=f"{folder}/reference.csv",
                                   created_by=principal.actor)
            session.add(monitor)
        monitor.columns, monitor.prediction_column = list(columns), prediction_column
        monitor.threshold, monitor.interval_hours = threshold, interval_hours
        if recent is not None:
            platform.files.write_bytes(f"{folder}/recent.csv", _csv(recent))
            monitor.recent_key = f"{folder}/recent.csv"
        session.flush()
        audit.record(session, actor=principal.actor, org=row.model.org,
                     action="drift.monitor", target=row.ref, detail={"columns": columns})
        return monitor.as_dict()


def monitor_of(platform: Platform, name: str, version: str) -> dict[str, Any] | None:
    with platform.db.read() as session:
        row = get_version(session, name, version)
        monitor = session.scalar(select(DriftMonitor).where(DriftMonitor.version_id == row.id))
        return monitor.as_dict() if monitor else None


def _read(files: FileStore, key: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(files.read_bytes(key)))


def run_check(db: Database, files: FileStore, monitor_id: int, actor: str = SYSTEM
              ) -> dict[str, Any]:
    """Compare the monitor's recent sample with its reference; store it; alert on drift."""
    with db.read() as session:
        monitor = session.get(DriftMonitor, monitor_id)
        if monitor is None or monitor.recent_key is None:
            raise NotFound(N_("There is no drift monitor {id} with recent data."), id=monitor_id)
        keys = (monitor.reference_key, monitor.recent_key)
        settings = (list(monitor.columns), monitor.prediction_column, monitor.threshold)
    report = drift_report(_read(files, keys[0]), _read(files, keys[1]), *settings)
    with db.transaction() as session:
        monitor = session.get(DriftMonitor, monitor_id)
        check = DriftCheck(monitor=monitor, drifted=report["dataset_drift"],
                           share_drifted=report["share_drifted"], output=report,
                           created_by=actor)
        monitor.last_checked_at = utcnow()
        session.add(check)
        session.flush()
        row = monitor.model_version
        audit.record(session, actor=actor, org=row.model.org, action="drift.check",
                     target=row.ref, detail={"drifted": check.drifted,
                                             "share": check.share_drifted})
        if check.drifted:
            _alert(session, row.model.org, row.ref, report)
        return check.as_dict()


def _alert(session: Any, org: str, ref: str, report: dict[str, Any]) -> None:
    text = (f"Drift in {ref}: {len(report['drifted_columns'])} of {len(report['columns'])} "
            f"columns drifted ({', '.join(report['drifted_columns'][:10])})"
            + ("; predictions drifted" if report["prediction"] and
               report["prediction"]["drifted"] else ""))
    finding = Finding(scanner="drift", kind="data-drift", score=report["share_drifted"],
                      message=text)
    record_incident(session, context=CallContext(org=org, app="responsible-ai", user=SYSTEM),
                    direction=Direction.INPUT, outcome="flagged", text=text,
                    result=ScanResult(text, True, report["share_drifted"], (finding,)))


def due_monitors(db: Database) -> list[int]:
    now = utcnow()
    with db.read() as session:
        return [m.id for m in session.scalars(select(DriftMonitor).order_by(DriftMonitor.id))
                if m.recent_key and (m.last_checked_at is None or
                                     m.last_checked_at + timedelta(hours=m.interval_hours) <= now)]
