"""``aiplus opendata generate``: bulk, searchable, faithful to the catalogue service, audited."""

import math

import pytest
from sqlalchemy import func, select

from aiplus.apps.opendata import generate as generator
from aiplus.core import audit
from aiplus.core.errors import ValidationFailed
from aiplus.data.catalog.groups import CATEGORIES
from aiplus.data.catalog.tables import Dataset, SearchDocument, dataset_groups
from aiplus.data.catalog.service import index_dataset


def test_generate_300_datasets_over_7_organisations(invoke, platform, search, client):
    result = invoke("opendata", "generate", "--datasets", "300", "--orgs", "7", "--seed", "3",
                    "--batch-size", "128")
    assert result.exit_code == 0, result.output
    assert "Generated 300 datasets over 7 organisations (7 created)" in result.output

    found = search(**{"rows": 0, "facet.field": '["organization", "groups", "tags", '
                                                '"res_format", "license_id"]',
                      "facet.limit": -1})
    assert found["count"] == 300
    facets = found["facets"]
    assert len(facets["organization"]) == 7 and sum(facets["organization"].values()) == 300
    assert facets["license_id"] == {"hk-dgh-terms": 300}
    assert set(facets["groups"]) == {name for name, _, _ in CATEGORIES}
    with platform.db.read() as session:
        pairs = session.scalar(select(func.count()).select_from(dataset_groups))
    assert sum(facets["groups"].values()) == pairs >= 300
    assert all(0 < n <= 300 for n in facets["tags"].values())
    assert sum(facets["res_format"].values()) >= 300

    for query, language in (("temperature", "en"), ("氣溫", "zh-HK"), ("气温", "en")):
        assert search(language, q=query)["count"] > 0, query
    one = search("zh-HK", q="急症室", rows=1)["results"][0]
    assert "急症室" in one["title"] and one["num_resources"] >= 1

    # What the catalogue service would have written: package_show equals the stored
    # revision, and re-indexing the dataset yields the same search document.
    shown = client.get("/api/3/action/package_show", params={"id": one["name"]}).json()["result"]
    with platform.db.read() as session:
        dataset = session.scalar(select(Dataset).where(Dataset.name == one["name"]))
        stored = session.get(SearchDocument, dataset.id).body
        index_dataset(session, dataset)
        assert session.get(SearchDocument, dataset.id).body == stored
        session.rollback()
    history = client.get("/api/3/action/package_revision_list", params={"id": one["name"]},
                         headers={"Authorization": ""})
    revisions = history.json()["result"]
    assert [r["revision"] for r in revisions] == [1] and revisions[0]["snapshot"] == shown

    with platform.db.read() as session:
        assert audit.verify(session).ok
        entries = list(session.scalars(select(audit.AuditEntry)))
    batches = [e for e in entries if e.action == "dataset.generate"]
    assert len(batches) == math.ceil(300 / 128)
    assert sum(e.detail["datasets"] for e in batches) == 300
    assert sum(e.action == "org.create" for e in entries) == 7


def test_generating_again_adds_without_collisions(platform):
    first = generator.generate(platform, 40, 3, seed=1)
    second = generator.generate(platform, 40, 3, seed=1)
    assert second.organisations_created == 0 and first.first_name != second.first_name
    with platform.db.read() as session:
        assert session.scalar(select(func.count(func.distinct(Dataset.name)))) == 80


@pytest.mark.parametrize("args, option", [
    (["--datasets", "0"], "--datasets"),
    (["--datasets", "-5"], "--datasets"),
    (["--datasets", "1000000000"], "--datasets"),
    (["--orgs", "0"], "--orgs"),
    (["--orgs", "100000"], "--orgs"),
    (["--datasets", "many"], "--datasets"),
])
def test_bad_sizes_are_refused_clearly(invoke, platform, args, option):
    result = invoke("opendata", "generate", *args)
    assert result.exit_code == 2
    assert "Invalid value" in result.output and option in result.output
    with platform.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Dataset)) == 0


@pytest.mark.parametrize("datasets, orgs", [(0, 1), (1, 0), (-1, 5), (10**7, 5), (5, 10**4)])
def test_the_generator_refuses_bad_sizes(platform, datasets, orgs):
    with pytest.raises(ValidationFailed):
        generator.generate(platform, datasets, orgs)


def test_organisations_beyond_the_named_ones_are_numbered():
    many = generator.organisations(300)
    assert len({slug for slug, *_ in many}) == 300
    assert many[0][0] == "hk-dpo" and many[-1][0].startswith("hk-body-")
