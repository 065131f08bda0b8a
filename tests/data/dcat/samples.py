"""Realistic CKAN ``package_show`` dicts (with our bilingual fields) and an in-memory source."""

from __future__ import annotations

import copy
from typing import Any

from aiplus.core.errors import NotFound

TD_ID = "0b5d1f8e-5a0c-4f4e-9c51-3c8f9a2d7e11"
HA_ID = "6f7e2c1a-93d4-4b8a-a2f0-58e1b7c4d902"
HKO_ID = "c3a9e4d2-1f60-4b7e-8d25-7a4e0b9f6c33"
MISC_ID = "9e1d7c55-2b3a-4c6f-b0e4-1d2c3b4a5f66"

SHA256 = "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea"
HK_POLYGON = (
    '{"type":"Polygon","coordinates":[[[113.82,22.15],[114.44,22.15],'
    "[114.44,22.57],[113.82,22.57],[113.82,22.15]]]}"
)

TRANSPORT = {
    "id": "7c0f2a11-0000-4000-8000-000000000019",
    "name": "transport",
    "title": "Transport",
    "title_translated": {"en": "Transport", "zh-Hant": "運輸"},
}
HEALTH = {
    "id": "7c0f2a11-0000-4000-8000-000000000010",
    "name": "health",
    "title": "Health",
    "title_translated": {"en": "Health", "zh-Hant": "衞生"},
}
WEATHER = {
    "id": "7c0f2a11-0000-4000-8000-000000000002",
    "name": "climate-and-weather",
    "title": "Climate and Weather",
    "title_translated": {"en": "Climate and Weather", "zh-Hant": "氣候及天氣"},
}
MISC = {
    "id": "7c0f2a11-0000-4000-8000-000000000015",
    "name": "miscellaneous",
    "title": "Miscellaneous",
    "title_translated": {"en": "Miscellaneous", "zh-Hant": "其他"},
}


def _org(org_id: str, name: str, en: str, zh: str) -> dict[str, Any]:
    return {"id": org_id, "name": name, "title": en, "title_translated": {"en": en, "zh-Hant": zh}}


def _package(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "state": "active",
        "private": False,
        "type": "dataset",
        "version": None,
        "url": None,
        "license_id": "hk-dgh-terms",
        "license_title": "DATA.GOV.HK Terms and Conditions",
        "license_url": "https://data.gov.hk/en/terms-and-conditions",
        "classification": "public",
        "personal_data": False,
        "spatial": None,
        "author": None,
        "author_email": None,
        "groups": [],
        "tags": [],
        "resources": [],
    }
    base.update(fields)
    base["owner_org"] = base["organization"]["id"]
    return base


JOURNEY_TIMES = _package(
    id=TD_ID,
    name="hk-td-tis_15-journey-time-v2",
    title="Journey Time Indicators",
    notes="Estimated journey times on major routes.",
    title_translated={"en": "Journey Time Indicators", "zh-Hant": "行車時間指示"},
    notes_translated={
        "en": "Estimated journey times on major routes to the harbour crossings.",
        "zh-Hant": "主要路線往過海隧道的估計行車時間。",
    },
    url="https://www.td.gov.hk/en/transport_in_hong_kong/its/",
    version="2.0",
    metadata_created="2019-03-01T08:00:00",
    metadata_modified="2024-06-18T02:15:30.123456",
    maintainer="Transport Department, Road Traffic Information Service",
    maintainer_email="tdenq@td.gov.hk",
    organization=_org(
        "a1b2c3d4-0000-4000-8000-0000000000d1", "hk-td", "Transport Department", "運輸署"
    ),
    groups=[TRANSPORT],
    tags=[{"name": "journey time"}, {"name": "traffic"}, {"name": "行車時間"}],
    update_frequency="real-time",
    provenance="Detector data from the Traffic Control Centre.",
    spatial=HK_POLYGON,
    resources=[
        {
            "id": "d0c1e2f3-1111-4111-8111-000000000001",
            "name": "Journey time (XML)",
            "name_translated": {"en": "Journey time (XML)", "zh-Hant": "行車時間 (XML)"},
            "description": "Updated every two minutes.",
            "format": "XML",
            "url": "https://resource.data.one.gov.hk/td/jss/Journeytimev2.xml",
            "mimetype": "application/xml",
            "size": 48213,
            "hash": SHA256,
            "created": "2019-03-01T08:00:00",
            "last_modified": "2024-06-18T02:14:00",
            "datastore_active": False,
        },
        {
            "id": "d0c1e2f3-1111-4111-8111-000000000002",
            "name": "Data dictionary",
            "name_translated": {"en": "Data dictionary", "zh-Hant": "數據字典"},
            "description": "Field definitions.",
            "format": "PDF",
            "url": "https://static.data.gov.hk/td/journey-time-v2/dictionary.pdf",
            "mimetype": None,
            "size": "120034",
            "hash": "",
            "created": "2019-03-01T08:00:00",
            "last_modified": None,
            "datastore_active": False,
        },
    ],
)

AE_WAITING = _package(
    id=HA_ID,
    name="hospital-authority-ae-waiting-time",
    title="Waiting time of Accident and Emergency Department",
    notes="A&E waiting times.",
    title_translated={
        "en": "Waiting time of Accident and Emergency Department",
        "zh-Hant": "急症室等候時間",
    },
    notes_translated={
        "en": "Estimated waiting times at the A&E departments of public hospitals.",
        "zh-Hant": "公立醫院急症室的估計等候時間。",
    },
    metadata_created="2020-01-15T01:00:00+00:00",
    metadata_modified="2024-06-18T03:00:00Z",
    maintainer="Hospital Authority",
    maintainer_email="opendata@ha.org.hk",
    organization=_org(
        "a1b2c3d4-0000-4000-8000-0000000000a1", "ha", "Hospital Authority", "醫院管理局"
    ),
    groups=[HEALTH],
    tags=[{"name": "A&E"}, {"name": "hospital"}, {"name": "急症室"}],
    update_frequency="real-time",
    provenance="Hospital Authority clinical systems.",
    resources=[
        {
            "id": "e5f6a7b8-2222-4222-8222-000000000001",
            "name": "A&E waiting time (JSON)",
            "name_translated": {
                "en": "A&E waiting time (JSON)",
                "zh-Hant": "急症室等候時間 (JSON)",
            },
            "description": "Every 15 minutes.",
            "format": "JSON",
            "url": "https://www.ha.org.hk/opendata/aed/aedwtdata2-en.json",
            "mimetype": "application/json",
            "size": 2405,
            "hash": "sha256:" + SHA256.upper(),
            "created": "2020-01-15T01:00:00",
            "last_modified": "2024-06-18T03:00:00",
            "datastore_active": True,
        }
    ],
)

WEATHER_REPORT = _package(
    id=HKO_ID,
    name="hk-hko-rss-current-weather-report",
    title="Current Weather Report",
    notes="Hourly weather report.",
    title_translated={"en": "Current Weather Report", "zh-Hant": "本港地區天氣報告"},
    notes_translated={
        "en": "Current weather report issued hourly by the Observatory.",
        "zh-Hant": "天文台每小時發出的本港地區天氣報告。",
    },
    metadata_created="2018-07-01T00:00:00",
    metadata_modified="2024-06-18T04:02:00",
    author="Hong Kong Observatory",
    author_email="mailbox@hko.gov.hk",
    maintainer=None,
    maintainer_email=None,
    organization=_org(
        "a1b2c3d4-0000-4000-8000-0000000000b1", "hk-hko", "Hong Kong Observatory", "香港天文台"
    ),
    groups=[WEATHER],
    tags=[{"name": "weather"}],
    update_frequency="daily",
    provenance="Observatory automatic weather stations.",
    spatial='{"type": "Point", "coordinates": [114.1742, 22.3022]}',
    resources=[
        {
            "id": "f1e2d3c4-3333-4333-8333-000000000001",
            "name": "Current weather (RSS)",
            "name_translated": {"en": "Current weather (RSS)", "zh-Hant": "本港地區天氣 (RSS)"},
            "description": "RSS feed.",
            "format": "XML",
            "url": "https://rss.weather.gov.hk/rss/CurrentWeather.xml",
            "mimetype": "application/rss+xml",
            "size": None,
            "hash": None,
            "created": "2018-07-01T00:00:00",
            "last_modified": "2024-06-18T04:02:00",
            "datastore_active": False,
        }
    ],
)

MISC_PACKAGE = _package(
    id=MISC_ID,
    name="misc-public-holidays",
    title="General holidays",
    notes="General holidays of Hong Kong.",
    title_translated={"en": "General holidays", "zh-Hant": "公眾假期"},
    notes_translated={"en": "General holidays of Hong Kong.", "zh-Hant": "香港公眾假期。"},
    metadata_created="2021-01-01T00:00:00",
    metadata_modified="2024-01-02T00:00:00",
    maintainer="Efficiency Office",
    maintainer_email="1823@1823.gov.hk",
    organization=_org(
        "a1b2c3d4-0000-4000-8000-0000000000c1", "hk-effo", "Efficiency Office", "效率促進辦公室"
    ),
    groups=[MISC],
    tags=[{"name": "holidays"}],
    update_frequency="annual",
    provenance="Gazette notices.",
    resources=[
        {
            "id": "a9b8c7d6-4444-4444-8444-000000000001",
            "name": "Holidays (CSV)",
            "name_translated": {"en": "Holidays (CSV)", "zh-Hant": "假期 (CSV)"},
            "description": "One row per holiday.",
            "format": "csv",
            "url": "/dataset/misc-public-holidays/resource/a9b8c7d6/download/holidays.csv",
            "mimetype": "text/csv",
            "size": 1024,
            "hash": "not-a-hash",
            "created": "2021-01-01",
            "last_modified": "2024-01-02T00:00:00",
            "datastore_active": True,
        }
    ],
)

CATALOG_META: dict[str, Any] = {
    "title": {"en": "AI Plus open data", "zh-Hant": "AI Plus 開放數據"},
    "description": {
        "en": "Open data of the Hong Kong public sector.",
        "zh-Hant": "香港公營機構的開放數據。",
    },
    "publisher": {
        "name": {"en": "Digital Policy Office", "zh-Hant": "數字政策辦公室"},
        "homepage": "https://www.digitalpolicy.gov.hk/",
        "email": "enquiry@dpo.gov.hk",
    },
    "homepage": "https://data.example.hk/",
    "issued": "2024-01-01T00:00:00+08:00",
    "modified": "2024-06-18T04:02:00",
    "license_url": "https://data.gov.hk/en/terms-and-conditions",
}


def packages() -> list[dict[str, Any]]:
    """Fresh copies, so a test may damage them."""
    return copy.deepcopy([JOURNEY_TIMES, AE_WAITING, WEATHER_REPORT, MISC_PACKAGE])


class MemorySource:
    """A :class:`aiplus.data.dcat.router.PackageSource` over a list of package dicts."""

    def __init__(self, items: list[dict[str, Any]], meta: dict[str, Any] | None = None) -> None:
        self.items = items
        self.meta = meta if meta is not None else copy.deepcopy(CATALOG_META)

    def page(self, page: int, page_size: int) -> tuple[list[dict[str, Any]], int]:
        public = [p for p in self.items if not p["private"] and p["state"] == "active"]
        start = (page - 1) * page_size
        return public[start : start + page_size], len(public)

    def get(self, id_or_name: str) -> dict[str, Any]:
        for package in self.items:
            if id_or_name in (package["id"], package["name"]):
                return package
        raise NotFound()

    def catalog_meta(self) -> dict[str, Any]:
        return self.meta
