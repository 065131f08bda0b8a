"""Ingestion into the database, forecast refresh, the API and the map page."""

from __future__ import annotations

import pandas as pd
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from aiplus.apps.traffic.ingest.store import FeedFile, ingest
from aiplus.apps.traffic.tables import Forecast, Observation, Quarantined
from aiplus.apps.traffic.service import refresh
from aiplus.apps.traffic.simulation.feeds import jti_xml
from aiplus.core.audit import AuditEntry
from aiplus.platform.services import Platform
from tests.apps.traffic.conftest import corridor_like


def _journeys(days: int = 2) -> pd.DataFrame:
    frame = corridor_like(days=days)
    minutes = frame.set_index(pd.to_datetime(frame["time"]))["minutes"]
    return pd.DataFrame({"J1": minutes, "J4": minutes * 1.1})


def _count(platform: Platform, table) -> int:
    with platform.db.read() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_ingest_deduplicates_quarantines_and_is_audited(platform: Platform) -> None:
    xml = jti_xml(_journeys(1))
    first = ingest(platform.db, "jti", [FeedFile("a.xml", xml)], actor="t", location="test")
    assert first.accepted == 2 * 288 and first.duplicates == 0
    again = ingest(platform.db, "jti", [FeedFile("a.xml", xml), FeedFile("b.xml", b"<broken"),
                                        FeedFile("c.xml", xml)], actor="t", location="test")
    assert again.accepted == 0 and again.duplicates == 2 * 2 * 288
    assert again.quarantined == 1 and again.status == "succeeded"
    assert _count(platform, Observation) == 2 * 288 and _count(platform, Quarantined) == 1
    with platform.db.read() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions.count("traffic.ingest") == 2


def test_refresh_serves_every_route_and_horizon(platform: Platform, client: TestClient) -> None:
    assert client.get("/api/traffic/forecasts").json()["routes"] == []
    ingest(platform.db, "jti", [FeedFile("a.xml", jti_xml(_journeys(2)))], actor="t",
           location="test")
    result = refresh(platform.db)
    assert result == {"routes": 2, "forecasts": 12}
    body = client.get("/api/traffic/forecasts").json()
    route = body["routes"][0]
    assert [f["horizon_min"] for f in route["forecasts"]] == [15, 30, 45, 60, 75, 90]
    assert all(f["lower"] <= f["predicted"] <= f["upper"] for f in route["forecasts"])
    assert "no weather" in route["forecasts"][0]["reason"]
    assert route["state"] in {"good", "average", "congested"} and route["observed"]
    assert _count(platform, Forecast) == 12
    page = client.get("/traffic")
    assert page.status_code == 200 and "<svg" in page.text and "<th scope=\"col\">" in page.text
    zh = client.get("/traffic?lang=zh-Hant")
    assert zh.status_code == 200
    # the forecast's note and the poll's status are translated (issue 27)
    assert "沒有天氣觀測資料" in zh.text and "no weather" not in zh.text
    assert ">succeeded<" not in zh.text


def test_jobs_need_authentication_and_roles(client: TestClient, factory) -> None:
    assert client.post("/api/traffic/forecasts/refresh", json={}).status_code == 401
    officer = factory.member("tom")
    job = client.post("/api/traffic/forecasts/refresh", json={}, headers=officer.headers)
    assert job.status_code == 200, job.text
    poll = client.post("/api/traffic/poll", json={"source": "jti", "location": "x"},
                       headers=officer.headers)
    assert poll.status_code == 403
    admin = factory.member("ada", role="admin")
    bad = client.post("/api/traffic/poll", json={"source": "nope", "location": "x"},
                      headers=admin.headers)
    assert bad.status_code == 422 and "nope" in bad.json()["error"]["message"]
