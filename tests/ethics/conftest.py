"""A small credit-default model trained once per test session on the real UCI data."""

from __future__ import annotations

import pytest

from aiplus.apps.responsible.credit import CreditExample, train


@pytest.fixture(scope="session")
def credit() -> CreditExample:
    return train(rounds=40)
