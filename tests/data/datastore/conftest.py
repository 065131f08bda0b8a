"""DataStore fixtures: the store the platform would open for the backend under test (DuckDB in
the test's home on SQLite runs, the ``datastore`` schema of the test's own database on
PostgreSQL runs)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from aiplus.core.settings import Settings
from aiplus.data.datastore import DataStore, open_datastore


@pytest.fixture
def store(settings: Settings) -> Iterator[DataStore]:
    opened = open_datastore(settings)
    yield opened
    opened.close()


@pytest.fixture
def new_id() -> Callable[[], str]:
    return lambda: str(uuid.uuid4())


PEOPLE_CSV = (
    "name,district,age,score,member,joined,seen_at,note\n"
    "Chan Tai Man,Wan Chai,34,88.5,true,2024-01-05,2024-01-05 09:15:00,likes tea\n"
    "Lee Siu Ming,Central,27,92,false,2023-12-31,2024-01-06 10:00:00,\n"
    "Wong Ka Yan,Wan Chai,45,,yes,2024-02-01,2024-02-01 08:30:00,50% off coupon\n"
    "Cheung Mei,Sha Tin,,75.25,no,2024-03-10,2024-03-10 18:45:10,under_score\n"
    "Ho Wing,Central,61,60,true,2024-03-11,2024-03-11 07:00:00,O'Brien \"quoted\"\n"
)


@pytest.fixture
def people(store: DataStore, new_id: Callable[[], str]) -> str:
    """A small resource with one column of each type; returns its id."""
    rid = new_id()
    store.ingest(rid, PEOPLE_CSV.encode(), "csv")
    return rid
