"""Every installed app, and the third-party sample, keeps the whole app contract
(see :mod:`tests.apps.contract`)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points

import grimp
import pytest
from fastapi.testclient import TestClient

from aiplus.platform.app import create_app
from aiplus.platform.registry import ENTRY_POINT_GROUP
from aiplus.platform.services import Platform
from tests.apps.contract import CHECKS, Hosted
from tests.factories import Factory

SAMPLE = EntryPoint(name="sample-app", value="tests.apps.sample:app", group=ENTRY_POINT_GROUP)
POINTS = [*sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name), SAMPLE]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("aiplus", exclude_type_checking_imports=True)


@pytest.fixture
def hosting(settings, graph) -> Iterator[tuple[Platform, TestClient, grimp.ImportGraph,
                                                dict[str, str]]]:
    platform = Platform.build(settings, extra_apps=[SAMPLE.load()])
    admin = Factory(platform).admin().headers
    with TestClient(create_app(platform=platform), raise_server_exceptions=False) as client:
        yield platform, client, graph, admin
    platform.close()


@pytest.mark.parametrize("point", POINTS, ids=lambda point: point.name)
def test_every_installed_app_keeps_the_contract(point: EntryPoint, hosting) -> None:
    platform, client, graph, admin_headers = hosting
    hosted = Hosted(app=point.load(), package=point.module.rpartition(".")[0], platform=platform,
                    client=client, graph=graph, admin_headers=admin_headers)
    failures = []
    for check in CHECKS:
        try:
            check(hosted)
        except AssertionError as problem:
            failures.append(f"{check.__name__}: {problem}")
    assert not failures, "\n".join(failures)
