"""Spatial fixtures: collections belong to catalogue datasets, since OGC API Features shows a
collection only to those who may read its dataset."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aiplus.data.catalog.service import Catalog
from tests.data.catalog.conftest import journey_times


@pytest.fixture
def public_dataset(platform, factory) -> Callable[[str], str]:
    """Make a public dataset named ``name`` (owned by hk-lands); returns its id."""

    def make(name: str) -> str:
        steward = factory.member(f"steward-{name}", org="hk-lands", role="data_steward")
        return Catalog(platform.db).create(steward.principal, journey_times(
            name=name, owner_org="hk-lands", resources=[]))["id"]

    return make
