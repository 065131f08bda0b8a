"""The catalogue's bulk path writes what the service would: a dataset inserted in bulk reads,
searches, facets and audits like one created through ``package_create``."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from aiplus.core import audit
from aiplus.core.identity import Organisation
from aiplus.data.catalog import facets
from aiplus.data.catalog.bulk import NewDataset, insert_datasets
from aiplus.data.catalog.service import index_dataset
from aiplus.data.catalog.tables import Dataset, FacetPosting, Group, SearchDocument, Tag

WHEN = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)


def journey_times(org: Organisation, tag: Tag, group: Group) -> NewDataset:
    dataset_id = str(uuid.uuid4())
    row = {"id": dataset_id, "name": "journey-time-indicators", "org_id": org.id,
           "title_en": "Journey Time Indicators", "title_zh": "行車時間指示器",
           "notes_en": "Estimated journey times on major routes.",
           "notes_zh": "主要路線的估計行車時間。", "licence_id": "hk-dgh-terms",
           "update_frequency": "real-time", "state": "active", "private": False,
           "classification": "public", "personal_data": False, "cross_boundary_gba": False,
           "gba_record": None, "provenance": "Traffic detectors", "author": "",
           "author_email": "", "maintainer": "", "maintainer_email": "", "url": "",
           "version": "", "spatial": None, "extras": {}, "revision": 1, "creator": "loader",
           "created_at": WHEN, "modified_at": WHEN}
    resource = {"id": str(uuid.uuid4()), "dataset_id": dataset_id, "position": 0,
                "name_en": "JTI XML", "name_zh": "行車時間 XML", "description_en": "",
                "description_zh": "", "format": "XML", "url": "https://example.org/jti.xml",
                "url_type": None, "mimetype": "application/xml", "size": None, "sha256": "",
                "file_key": None, "datastore_active": False, "created_at": WHEN,
                "modified_at": WHEN}
    return NewDataset(row, [resource], org, [tag], [group])


def test_a_bulk_dataset_reads_like_a_created_one(platform, factory, ckan):
    factory.org("hk-td")
    with platform.db.transaction() as session:
        org = session.scalar(select(Organisation).where(Organisation.slug == "hk-td"))
        tag = Tag(name="traffic")
        session.add(tag)
        session.flush()
        group = session.scalar(select(Group).where(Group.name == "transport"))
        insert_datasets(session, [journey_times(org, tag, group)], actor="loader",
                        action="dataset.import", detail={"source": "test"})

    status, shown = ckan("package_show", http="GET", id="journey-time-indicators")
    assert status == 200
    history = ckan("package_revision_list", http="GET", id="journey-time-indicators")[1]
    assert [r["snapshot"] for r in history["result"]] == [shown["result"]]
    found = ckan("package_search", http="GET", q="行車時間", **{"facet.field": '["res_format"]'})
    assert found[1]["result"]["count"] == 1
    assert found[1]["result"]["facets"]["res_format"] == {"XML": 1}

    with platform.db.read() as session:  # re-indexing as the service does changes nothing
        dataset = session.scalar(select(Dataset))
        stored = session.get(SearchDocument, dataset.id).body
        postings = set(session.scalars(select(FacetPosting.key)))
        index_dataset(session, dataset)
        facets.write(session, dataset)
        assert session.get(SearchDocument, dataset.id).body == stored
        assert set(session.scalars(select(FacetPosting.key))) == postings
        session.rollback()
        entries = [e for e in session.scalars(select(audit.AuditEntry))
                   if e.action == "dataset.import"]
    assert [(e.actor, e.target, e.detail) for e in entries] == [
        ("loader", "datasets:journey-time-indicators..journey-time-indicators",
         {"datasets": 1, "resources": 1, "source": "test", "first": "journey-time-indicators",
          "last": "journey-time-indicators"})]


def test_nothing_to_insert_is_a_mistake(platform):
    with platform.db.transaction() as session, pytest.raises(ValueError):
        insert_datasets(session, [], actor="loader", action="dataset.import")
