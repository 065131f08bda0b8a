import pytest

from tests.factories import Factory, Member


@pytest.fixture
def steward(factory: Factory) -> Member:
    return factory.member("steward", org="hk-td", role="data_steward")


@pytest.fixture
def ckan(client):
    """Call a CKAN action through the test client; returns the decoded envelope and status."""

    def call(action, member=None, /, http="POST", **data):
        headers = {"Authorization": member.token} if member else {}
        if http == "GET":
            response = client.get(f"/api/3/action/{action}", params=data, headers=headers)
        else:
            response = client.post(f"/api/3/action/{action}", json=data, headers=headers)
        return response.status_code, response.json()

    return call


def journey_times(**overrides):
    data = {
        "name": "journey-time-indicators",
        "title_translated": {"en": "Journey Time Indicators", "zh-Hant": "行車時間指示器"},
        "notes_translated": {"en": "Estimated journey times on major routes, every 2 minutes.",
                             "zh-Hant": "主要路線的估計行車時間，每兩分鐘更新。"},
        "owner_org": "hk-td", "license_id": "hk-dgh-terms",
        "provenance": "Transport Department traffic detectors",
        "tags": [{"name": "traffic"}, {"name": "journey time"}], "groups": [{"name": "transport"}],
        "update_frequency": "real-time",
        "resources": [{"name": "JTI XML", "url": "https://example.org/jti.xml", "format": "XML"}],
    }
    data.update(overrides)
    return data
