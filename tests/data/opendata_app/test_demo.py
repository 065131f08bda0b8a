"""The demo catalogue ``aiplus demo load`` adds: complete, small, idempotent, bilingual."""

import csv
import io
import json
import re
from importlib import resources as package_files

from sqlalchemy import func, select

from aiplus.apps.opendata import demo
from aiplus.core import audit
from aiplus.data.catalog.groups import CATEGORIES
from aiplus.data.catalog.tables import Dataset, Resource
from aiplus.data.catalog.resources import Resources
from aiplus.data.catalog.validation import FREQUENCIES, TAG
from aiplus.data.spatial.crs import HK_GRID_EASTING, HK_GRID_NORTHING, in_hong_kong

CJK = re.compile(r"[\u3400-\u9fff]")
HKID = re.compile(r"\b[A-Z]{1,2}\d{6}\(?[0-9A]\)?")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def test_the_manifest_is_complete_bilingual_and_small():
    manifest = demo.manifest()
    datasets = manifest["datasets"]
    orgs = {org["slug"] for org in manifest["organisations"]}
    categories = {name for name, _, _ in CATEGORIES}
    assert len(datasets) >= 25 and len({d["name"] for d in datasets}) == len(datasets)
    assert len({g for d in datasets for g in d["groups"]}) >= 15
    for entry in datasets:
        assert entry["owner_org"] in orgs and set(entry["groups"]) <= categories, entry["name"]
        assert entry["license_id"] == "hk-dgh-terms" and entry["update_frequency"] in FREQUENCIES
        assert "not official" in entry["provenance"]
        for key in ("title", "notes"):
            assert entry[key]["en"] and CJK.search(entry[key]["zh-Hant"]), (entry["name"], key)
        assert entry["tags"] and all(TAG.match(tag) for tag in entry["tags"])
        assert entry["resources"]
    root = package_files.files("aiplus.apps.opendata").joinpath("demo_data")
    total = len(root.joinpath("catalogue.json").read_bytes())
    for item in (r for d in datasets for r in d["resources"]):
        data = demo.demo_file(item["file"])
        total += len(data)
        text = data.decode("utf-8")
        assert not HKID.search(text) and not EMAIL.search(text), item["file"]
        if item["format"] == "GeoJSON":
            features = json.loads(text)["features"]
            assert features and all(in_hong_kong(*f["geometry"]["coordinates"]) for f in features)
        elif item["format"] == "CSV":
            rows = list(csv.DictReader(io.StringIO(text)))
            assert rows, item["file"]
            if "latitude" in rows[0]:
                assert all(in_hong_kong(float(r["longitude"]), float(r["latitude"])) for r in rows)
            if "easting" in rows[0]:
                assert all(HK_GRID_EASTING[0] < float(r["easting"]) < HK_GRID_EASTING[1]
                           and HK_GRID_NORTHING[0] < float(r["northing"]) < HK_GRID_NORTHING[1]
                           for r in rows)
    assert total < 1024 * 1024


def _counts(platform):
    with platform.db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(table))
                     for table in (Dataset, Resource, audit.AuditEntry))


def test_demo_load_is_idempotent_and_searchable_in_both_languages(invoke, platform, search,
                                                                  client):
    first = invoke("demo", "load")
    assert first.exit_code == 0, first.output
    expected = len(demo.manifest()["datasets"])
    assert f"Open data portal (open-data): demo data loaded ({expected} new)" in first.output
    loaded = _counts(platform)
    files = sum(len(d["resources"]) for d in demo.manifest()["datasets"])
    assert loaded[:2] == (expected, files)

    again = invoke("demo", "load")
    assert "Open data portal (open-data): demo data already present" in again.output
    assert demo.load_demo_catalogue(platform) == 0
    assert _counts(platform) == loaded

    assert search()["count"] == expected >= 25
    for query, language, name in (
            ("parking", "en", "car-park-vacancy"), ("停車場", "zh-HK", "car-park-vacancy"),
            ("空氣質素", "zh-HK", "air-quality-health-index-by-station"),
            ("空气质素", "en", "air-quality-health-index-by-station"),
            ("圖書館", "zh-HK", "public-libraries"), ("1823", "en", "1823-cases-by-category"),
            ("急症室", "zh-HK", "accident-emergency-waiting-time")):
        found = search(language, q=query)
        assert name in [r["name"] for r in found["results"]], (query, found["count"])
    chinese = search("zh-HK", q="停車場")["results"][0]
    assert chinese["title"] == "停車場空置車位" and chinese["organization"]["title"] == "運輸署"

    shown = client.get("/api/3/action/package_show", params={"id": "public-libraries"}).json()
    upload = shown["result"]["resources"][0]
    assert upload["url_type"] == "upload" and upload["format"] == "CSV"
    assert upload["url"].startswith("http://testserver/dataset/public-libraries/resource/")
    download = client.get(upload["url"])
    assert download.status_code == 200
    assert download.content == demo.demo_file("files/lcsd-public-libraries.csv")

    # A file lost half-way (e.g. refused by an upload check) is added by the next load.
    Resources(platform.db, platform.files).delete(demo.LOADER, upload["id"])
    report = demo.load(platform)
    assert (report.datasets, report.files, report.organisations) == (0, 1, 0)
    with platform.db.read() as session:
        assert audit.verify(session).ok
