"""Weighted XGBoost bagging: each bank's tree counts by its share of the round's rows."""

from __future__ import annotations

from unittest.mock import MagicMock

import numpy as np
import pytest
import xgboost as xgb
from flwr.common import Code, FitRes, Parameters, Status

from aiplus.federated import boosting
from aiplus.federated.data import Shard
from aiplus.federated.server.app import WeightedXgbBagging

pytestmark = pytest.mark.nodb


def _shard(seed: int, rows: int) -> Shard:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 4))
    y = (x[:, 0] + rng.normal(scale=0.5, size=rows) > 0).astype(np.float32)
    return Shard(x, y, np.arange(rows), np.zeros(rows))


def _margin(trees: bytes, x: np.ndarray) -> np.ndarray:
    booster = xgb.Booster(params=boosting.PARAMS)
    booster.load_model(bytearray(trees))
    return booster.predict(xgb.DMatrix(x), output_margin=True)


def test_scaling_multiplies_what_a_tree_adds_and_keeps_its_splits() -> None:
    shard = _shard(0, 300)
    tree = boosting.new_trees(boosting.boost(shard, 1))
    # base_score 0.5 is a margin of 0, so the margin is the tree's leaf value alone
    np.testing.assert_allclose(_margin(boosting.scaled(tree, 0.25), shard.x),
                               0.25 * _margin(tree, shard.x), rtol=1e-5)


def test_a_round_weighs_each_bank_by_its_rows() -> None:
    big, small = _shard(1, 900), _shard(2, 100)
    trees = [boosting.new_trees(boosting.boost(s, 1, seed=i)) for i, s in enumerate((big, small))]
    results = [(MagicMock(), FitRes(Status(Code.OK, "ok"), Parameters(tensors=[t], tensor_type=""), len(s.y), {}))
               for t, s in zip(trees, (big, small))]
    strategy = WeightedXgbBagging(initial_parameters=Parameters(tensors=[], tensor_type=""))
    merged, _ = strategy.aggregate_fit(1, results, [])
    assert merged is not None
    probe = _shard(3, 50).x
    expected = 0.9 * _margin(trees[0], probe) + 0.1 * _margin(trees[1], probe)
    np.testing.assert_allclose(_margin(merged.tensors[0], probe), expected, rtol=1e-4,
                               atol=1e-6)
