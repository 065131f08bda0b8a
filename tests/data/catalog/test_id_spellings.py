"""Every spelling of a resource id gets the same answer for the same caller.

A security probe read a private DataStore table anonymously by writing its resource id
without hyphens in ``datastore_search_sql``: the access check recognised one spelling while
the SQL sandbox resolved every spelling Python's UUID parser accepts. Ids are now parsed once
(:func:`aiplus.core.identifiers.canonical_uuid`) and the sandbox only sees tables its caller
may read. These tests generate spellings with Hypothesis and ask, for anonymous, same-org,
other-org and admin callers, every route that reads a resource by id.
"""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiplus.core.identifiers import canonical_uuid
from tests.data.catalog.conftest import journey_times
from tests.data.catalog.test_upload_pipeline import CARPARKS

CALLERS = ("anonymous", "same_org", "other_org", "admin")
# What each caller may see of a private resource: its rows, or a refusal.
MAY_READ = {"anonymous": False, "same_org": True, "other_org": False, "admin": True}
FIXTURE_REUSE = settings(max_examples=25, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def spellings(draw: st.DrawFn, canonical: str) -> str:
    """Any spelling ``uuid.UUID`` accepts: case per character, hyphens anywhere or nowhere,
    braces, a ``urn:uuid:`` prefix, surrounding spaces."""
    hex_digits = canonical.replace("-", "")
    chars = [c.upper() if draw(st.booleans()) else c for c in hex_digits]
    layout = draw(st.sampled_from(["standard", "none", "random"]))
    if layout == "standard":
        body = "-".join("".join(chars[a:b]) for a, b in ((0, 8), (8, 12), (12, 16), (16, 20),
                                                         (20, 32)))
    elif layout == "none":
        body = "".join(chars)
    else:
        cuts = draw(st.sets(st.integers(1, 31), max_size=6))
        body = "".join(("-" if i in cuts else "") + c for i, c in enumerate(chars))
    wrapper = draw(st.sampled_from(["{}", "braces", "urn", "urn-braces"]))
    body = {"{}": body, "braces": "{" + body + "}", "urn": "urn:uuid:" + body,
            "urn-braces": "urn:uuid:{" + body + "}"}[wrapper]
    return " " + body if draw(st.booleans()) else body


def test_canonical_uuid_agrees_with_the_uuid_parser() -> None:
    @given(st.uuids())
    def check(value: uuid.UUID) -> None:
        assert canonical_uuid(value.hex.upper()) == str(value)
        assert canonical_uuid("{" + str(value) + "}") == str(value)

    check()
    assert canonical_uuid("not-an-id") is None and canonical_uuid(42) is None
    assert canonical_uuid("a" * 1000) is None


@pytest.fixture
def private_table(ckan, client, steward):
    """A private dataset of hk-td with one uploaded table (and its map features)."""
    dataset = ckan("package_create", steward, **journey_times(name="internal-carparks",
                                                              private=True, resources=[]))
    response = client.post("/api/3/action/resource_create",
                           headers={"Authorization": steward.token},
                           data={"package_id": dataset[1]["result"]["id"]},
                           files={"upload": ("carparks.csv", CARPARKS)})
    assert response.status_code == 200, response.text
    return response.json()["result"]["id"]


@pytest.fixture
def callers(factory, steward):
    """Authorization headers per kind of caller."""
    other = factory.member("other-officer", org="hk-other", role="officer")
    admin = factory.admin()
    return {"anonymous": {}, "same_org": {"Authorization": steward.token},
            "other_org": {"Authorization": other.token},
            "admin": {"Authorization": admin.token}}


def _sql(client, headers, spelling):
    return client.post("/api/3/action/datastore_search_sql", headers=headers,
                       json={"sql": f'SELECT name FROM "{spelling}" ORDER BY _id'})


@pytest.mark.parametrize("caller", CALLERS)
def test_every_spelling_in_sql_gets_the_canonical_answer(client, private_table, callers,
                                                         caller):
    headers = callers[caller]
    expected = _sql(client, headers, private_table)
    assert expected.status_code == (200 if MAY_READ[caller] else 403), expected.text

    @FIXTURE_REUSE
    @given(spellings(private_table))
    def check(spelling: str) -> None:
        answer = _sql(client, headers, spelling)
        assert answer.status_code == expected.status_code, (spelling, answer.text)
        if MAY_READ[caller]:
            assert answer.json()["result"]["records"] == expected.json()["result"]["records"]
        else:
            assert "Chan" not in answer.text and "City Hall" not in answer.text

    check()


def _reads(client, headers, spelling):
    """Every other route that reads a resource by id, with its status."""
    action = "/api/3/action/"
    return {
        "resource_show": client.get(action + "resource_show", params={"id": spelling},
                                    headers=headers),
        "datastore_search": client.get(action + "datastore_search",
                                       params={"resource_id": spelling}, headers=headers),
        "datastore_info": client.get(action + "datastore_info", params={"id": spelling},
                                     headers=headers),
        "dump": client.get(f"/datastore/dump/{spelling}", headers=headers),
        "ogc_collection": client.get(f"/ogc/collections/{spelling}", headers=headers),
        "ogc_items": client.get(f"/ogc/collections/{spelling}/items", headers=headers),
        "ogc_feature": client.get(f"/ogc/collections/{spelling}/items/1", headers=headers),
    }


@pytest.mark.parametrize("caller", CALLERS)
def test_every_spelling_on_every_read_route_gets_the_same_status(client, private_table,
                                                                 callers, caller):
    headers = callers[caller]
    expected = {route: answer.status_code
                for route, answer in _reads(client, headers, private_table).items()}
    if MAY_READ[caller]:
        assert set(expected.values()) == {200}, expected
    else:
        assert 200 not in expected.values(), expected

    @FIXTURE_REUSE
    @given(spellings(private_table))
    def check(spelling: str) -> None:
        got = {route: answer for route, answer in _reads(client, headers, spelling).items()}
        assert {route: a.status_code for route, a in got.items()} == expected, spelling
        if not MAY_READ[caller]:
            assert not any("City Hall" in a.text for a in got.values())

    check()


def test_private_map_features_are_not_listed_for_others(client, private_table, callers):
    listed = {caller: [c["id"] for c in client.get("/ogc/collections",
                                                   headers=callers[caller]).json()["collections"]]
              for caller in CALLERS}
    for caller in CALLERS:
        assert (private_table in listed[caller]) is MAY_READ[caller], caller


def test_a_dataset_id_in_any_spelling_finds_the_dataset(ckan, steward):
    created = ckan("package_create", steward, **journey_times(resources=[]))[1]["result"]
    for spelling in (created["id"].upper(), created["id"].replace("-", ""),
                     "{" + created["id"] + "}"):
        status, body = ckan("package_show", http="GET", id=spelling)
        assert status == 200 and body["result"]["id"] == created["id"], spelling
