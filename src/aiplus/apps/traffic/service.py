"""Serving: forecasts for every route at +15…+90 minutes, refreshed by a job.

Each route's stored journey times are cleaned, a per-horizon model is fitted on the recent
weeks and the forecast is made from the latest observation. When something is missing the
forecast still comes, with the reason stated (too little history, no weather, stale data).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, select

from aiplus.apps.traffic.forecasting.boosting import Forecaster
from aiplus.apps.traffic.forecasting.series import clean
from aiplus.apps.traffic.ingest.store import series_frame, to_utc
from aiplus.apps.traffic.tables import Forecast, IngestRun, Observation
from aiplus.apps.traffic.simulation.feeds import colour
from aiplus.core import audit
from aiplus.core.db import Database, utcnow
from aiplus.core.i18n import N_

HORIZONS = [15, 30, 45, 60, 75, 90]
HISTORY_DAYS = 28
STALE_AFTER = timedelta(minutes=30)
STATE = {3: N_("good"), 2: N_("average"), 1: N_("congested")}
UNKNOWN = N_("unknown")


def refresh(db: Database, actor: str = "job") -> dict[str, Any]:
    """Fit and forecast every journey-time route; replaces the served forecasts atomically."""
    with db.read() as session:
        latest = session.execute(select(func.max(Observation.observed_at)).where(
            Observation.source == "jti")).scalar()
    if latest is None:
        return {"routes": 0, "reason": N_("No journey times have been ingested yet.")}
    frame = series_frame(db, "jti", since=latest - timedelta(days=HISTORY_DAYS))
    weather = series_frame(db, "weather", since=latest - timedelta(days=HISTORY_DAYS))
    rain = weather.filter(like="rain:").mean(axis=1) if not weather.empty else None
    rows: list[Forecast] = []
    for name in [column for column in frame.columns if column.endswith(":min")]:
        rows.extend(_route_forecasts(name, frame[name].dropna(), rain))
    with db.transaction() as session:
        session.execute(delete(Forecast))
        session.add_all(rows)
        audit.record(session, actor=actor, action="traffic.forecast.refresh",
                     detail={"routes": len({row.route for row in rows}),
                             "models": sorted({row.model for row in rows})})
    return {"routes": len({row.route for row in rows}), "forecasts": len(rows)}


def _route_forecasts(name: str, observed: pd.Series, rain: pd.Series | None) -> list[Forecast]:
    series = clean(pd.Series(observed.index), pd.Series(observed.to_numpy()))
    reasons = []
    exog = None
    if rain is None or rain.dropna().empty:
        reasons.append(N_("no weather observations: the forecast uses traffic history only"))
    else:
        exog = pd.DataFrame({"rain": rain.resample(f"{series.step_minutes}min", closed="right",
                                                   label="right").mean()})
    last_time = series.raw.index[-1]
    forecaster = Forecaster(HORIZONS).fit(series, last_time, exog)
    out = forecaster.predict(pd.DatetimeIndex([last_time]), series.raw.to_numpy()[-1:])
    rows = []
    for record in out.itertuples():
        model = forecaster.models[int(record.horizon_min)]
        # catalogue messages joined by "; ": the page translates each one (traffic_map.html)
        reason = "; ".join([*reasons, model.reason] if model.reason else reasons)
        rows.append(Forecast(route=name.split(":")[0][:60], origin_time=to_utc(last_time),
                             horizon_min=int(record.horizon_min),
                             predicted=float(record.predicted), lower=float(record.lower),
                             upper=float(record.upper), model=record.model,
                             reason=reason[:300]))
    return rows


def overview(db: Database, now: datetime | None = None) -> dict[str, Any]:
    """What the map page and API show: per route, latest observation and its forecasts."""
    now = now or utcnow()
    with db.read() as session:
        forecasts = session.execute(select(Forecast).order_by(
            Forecast.route, Forecast.horizon_min)).scalars().all()
        runs = session.execute(select(IngestRun).order_by(IngestRun.id.desc()).limit(10)
                               ).scalars().all()
    newest = max((row.origin_time for row in forecasts), default=now)
    observed = series_frame(db, "jti", since=newest - timedelta(days=HISTORY_DAYS))
    routes: dict[str, dict[str, Any]] = {}
    for row in forecasts:
        route = routes.setdefault(row.route, {"route": row.route, "forecasts": [],
                                              "origin_time": row.origin_time.isoformat()})
        free = _free_flow(observed, row.route)
        route["forecasts"].append({
            "horizon_min": row.horizon_min, "predicted": round(row.predicted, 2),
            "lower": round(row.lower, 2), "upper": round(row.upper, 2), "model": row.model,
            "reason": row.reason,
            "state": STATE[colour(row.predicted, free)] if free else UNKNOWN})
    for route in routes.values():
        column = f"{route['route']}:min"
        recent = observed[column].dropna().tail(90) if column in observed else pd.Series()
        route["observed"] = [{"time": f"{t:%Y-%m-%d %H:%M}", "minutes": round(float(v), 2)}
                             for t, v in recent.items()]
        origin = datetime.fromisoformat(route["origin_time"])
        route["stale"] = now - origin > STALE_AFTER
        route["state"] = route["forecasts"][0]["state"] if route["forecasts"] else UNKNOWN
    return {"routes": list(routes.values()), "runs": [run.as_dict() for run in runs]}


def _free_flow(observed: pd.DataFrame, route: str) -> float | None:
    column = f"{route}:min"
    if column not in observed or observed[column].dropna().empty:
        return None
    return float(observed[column].quantile(0.05))
