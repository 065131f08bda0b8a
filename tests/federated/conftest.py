"""Small real-data splits shared by the federated tests (Ray start-up is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiplus.data.samples import UCI_CREDIT_LABEL, load_uci_credit


@pytest.fixture(scope="session")
def credit_csvs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """3,000 training and 1,000 test rows of the real UCI data, as CSV files."""
    data = load_uci_credit().sample(4000, random_state=7)
    folder = tmp_path_factory.mktemp("credit")
    train, test = folder / "train.csv", folder / "test.csv"
    data.iloc[:3000].to_csv(train, index=False)
    data.iloc[3000:].to_csv(test, index=False)
    return train, test


LABEL = UCI_CREDIT_LABEL
