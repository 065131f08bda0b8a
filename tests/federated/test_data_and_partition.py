"""Partitioning, the agreed schema and federated scaling, on the real UCI credit data."""

from __future__ import annotations

import numpy as np
import pytest

from aiplus.core.errors import ValidationFailed
from aiplus.data.samples import UCI_CREDIT_LABEL, load_uci_credit
from aiplus.federated.data import Moments, Scaler, Schema, compress
from aiplus.federated.partition import Partitioning, split

pytestmark = pytest.mark.nodb


@pytest.fixture(scope="module")
def credit():
    return load_uci_credit().sample(6000, random_state=0)


def test_every_partitioning_splits_all_rows_into_unequal_disjoint_banks(credit) -> None:
    for how in ("iid", "dirichlet:0.3", "column:LIMIT_BAL"):
        parts = split(credit, UCI_CREDIT_LABEL, 5, Partitioning.parse(how))
        sizes = [len(p) for p in parts]
        assert sum(sizes) == len(credit) and sizes == sorted(sizes, reverse=True)
        assert sizes[-1] < sizes[0] / 4, how  # small banks exist
        ids = np.concatenate([p["ID"].to_numpy() for p in parts])
        assert len(np.unique(ids)) == len(credit), how


def test_dirichlet_skews_labels_and_column_split_bands_credit_limits(credit) -> None:
    skewed = split(credit, UCI_CREDIT_LABEL, 5, Partitioning.parse("dirichlet:0.1"))
    rates = [p[UCI_CREDIT_LABEL].mean() for p in skewed]
    assert max(rates) - min(rates) > 0.3
    iid = split(credit, UCI_CREDIT_LABEL, 5, Partitioning.parse("iid"))
    assert max(p[UCI_CREDIT_LABEL].mean() for p in iid) - min(
        p[UCI_CREDIT_LABEL].mean() for p in iid) < 0.1
    bands = split(credit, UCI_CREDIT_LABEL, 3, Partitioning.parse("column:LIMIT_BAL"))
    assert bands[0]["LIMIT_BAL"].max() <= bands[1]["LIMIT_BAL"].min()


@pytest.mark.parametrize("text", ["", "dirichlet", "dirichlet:-1", "dirichlet:x", "column:",
                                  "random", "iid:3"])
def test_bad_partitionings_are_refused_clearly(text: str) -> None:
    with pytest.raises(ValidationFailed, match="Unknown partitioning"):
        Partitioning.parse(text)


def test_too_many_participants_or_unknown_columns_are_refused(credit) -> None:
    with pytest.raises(ValidationFailed, match="Too few rows"):
        split(credit.head(300), UCI_CREDIT_LABEL, 8, Partitioning("iid"))
    with pytest.raises(ValidationFailed, match="not in the data"):
        split(credit, UCI_CREDIT_LABEL, 3, Partitioning("column", column="NOPE"))
    with pytest.raises(ValidationFailed, match="label column"):
        Schema.infer(credit, "no-such-label")


def test_schema_mismatch_names_the_missing_columns(credit) -> None:
    schema = Schema.infer(credit, UCI_CREDIT_LABEL)
    assert "SEX" not in schema.features and "ID" not in schema.features
    with pytest.raises(ValidationFailed, match="bank-2.*PAY_AMT6"):
        schema.check(credit.drop(columns=["PAY_AMT6"]), "bank-2")


def test_scaling_from_shared_moments_equals_pooled_standardisation(credit) -> None:
    schema = Schema.infer(credit, UCI_CREDIT_LABEL)
    parts = split(credit, UCI_CREDIT_LABEL, 4, Partitioning("iid"))
    scaler = Scaler.from_moments([Moments.of(compress(p, schema)) for p in parts])
    pooled = compress(credit, schema)
    np.testing.assert_allclose(scaler.mean, pooled.mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(scaler.scale, pooled.std(axis=0), rtol=1e-6)
