"""Anonymous CKAN reads share one cached answer; a signed-in caller's never leaves them, and
any committed write (in this process or another on the same home) is seen at once."""

import pytest

from aiplus.core import identity
from aiplus.data.ckan_api.actions import ACTIONS, Action
from aiplus.platform.services import Platform
from tests.data.catalog.conftest import journey_times


@pytest.fixture
def search_runs(monkeypatch):
    """How many times ``package_search`` really ran (rather than being served cached)."""
    runs = []
    found = ACTIONS["package_search"]

    def counted(ctx, data):
        runs.append(ctx.principal.actor)
        return found.function(ctx, data)

    monkeypatch.setitem(ACTIONS, "package_search", Action(found.name, counted, found.write))
    return runs


def test_anonymous_reads_share_an_answer_until_a_write(ckan, client, steward, search_runs):
    ckan("package_create", steward, **journey_times())
    counts = [ckan("package_search", http="GET", q="journey")[1]["result"]["count"]
              for _ in range(3)]
    assert counts == [1, 1, 1] and search_runs == ["anonymous"]
    ckan("package_create", steward, **journey_times(name="journey-times-2"))
    assert ckan("package_search", http="GET", q="journey")[1]["result"]["count"] == 2
    chinese = client.get("/api/3/action/package_search", params={"q": "journey"},
                         headers={"Accept-Language": "zh-HK"}).json()["result"]["results"]
    assert chinese[0]["title"] == "行車時間指示器"
    assert search_runs == ["anonymous"] * 3  # a new write, then another language: no reuse


def test_signed_in_answers_are_never_shared(ckan, steward, factory, search_runs):
    ckan("package_create", steward, **journey_times(private=True))
    outsider = factory.member("outsider", org="hk-ha", role="data_steward")
    for _ in range(2):
        assert ckan("package_search", steward, include_private=True)[1]["result"]["count"] == 1
        assert ckan("package_search", outsider, include_private=True)[1]["result"]["count"] == 0
        assert ckan("package_search", include_private=True)[1]["result"]["count"] == 0
    assert search_runs == ["steward", "outsider", "anonymous", "steward", "outsider"]


def test_a_write_through_another_platform_on_the_same_home_is_seen(ckan, settings):
    assert "hk-new" not in ckan("organization_list", http="GET")[1]["result"]
    other = Platform.build(settings)  # as a CLI command or another server worker would
    try:
        with other.db.transaction() as session:
            identity.create_org(session, "hk-new", "New Department", "新部門")
    finally:
        other.close()
    assert "hk-new" in ckan("organization_list", http="GET")[1]["result"]
