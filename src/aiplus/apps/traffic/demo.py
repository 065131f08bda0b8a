"""Demo data: the shipped simulated corridor fortnight, fed through the real JTI parser."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import select

from aiplus.apps.traffic.ingest.store import TIMEZONE, FeedFile, ingest
from aiplus.apps.traffic.tables import IngestRun
from aiplus.apps.traffic.service import refresh
from aiplus.apps.traffic.simulation.feeds import jti_xml
from aiplus.apps.traffic.simulation.run import SimulatedData

if TYPE_CHECKING:
    from aiplus.platform.services import Platform

DATA = Path(__file__).resolve().parent / "data" / "corridor"
DEMO_DAYS = 7


DEMO_LOCATION = "simulated corridor"


def ending_at(minutes: pd.DataFrame, now: pd.Timestamp) -> pd.DataFrame:
    """The last ``DEMO_DAYS`` of the simulated fortnight, moved by whole weeks (so weekday and
    hour of each reading are kept) to end at ``now`` (Hong Kong time): right after the load
    the map shows current journey times and fresh forecasts, not a corridor weeks stale."""
    week, window = pd.Timedelta(days=7), pd.Timedelta(days=DEMO_DAYS)
    weeks = (now - minutes.index[0] - window) // week
    moved = minutes.set_axis(minutes.index + weeks * week)
    return moved[(moved.index <= now) & (moved.index > now - window)]


def load_demo(platform: Platform) -> str:
    """Ingest the last week of simulated journey times and refresh forecasts, once: a second
    load finds the demo ingest run and writes nothing (not even an audit entry)."""
    if not (DATA / "journey_times.csv.gz").exists():
        return "no shipped corridor data set; run `aiplus bench traffic` to simulate one"
    with platform.db.read() as session:
        loaded = session.scalar(select(IngestRun.id).where(
            IngestRun.location == DEMO_LOCATION, IngestRun.actor == "demo").limit(1))
    if loaded is not None:
        return "demo journey times already present"
    data = SimulatedData.load(DATA)
    now = pd.Timestamp.now(tz=TIMEZONE).tz_localize(None).floor("2min")
    recent = ending_at(data.journey_minutes, now)
    run = ingest(platform.db, "jti", [FeedFile("corridor-jti.xml", jti_xml(recent))],
                 actor="demo", location=DEMO_LOCATION)
    result = refresh(platform.db, actor="demo")
    return f"{run.accepted} journey times, {result.get('routes', 0)} routes forecast"
