"""Gradient-boosted trees for Flower's federated XGBoost bagging (``FedXgbBagging``).

Each round every participant loads the global ensemble, boosts one more tree on its own rows
and sends only that tree; the coordinator scales each tree by its bank's share of the round's
rows and appends them all. Plain bagging adds every bank's full-size tree, so one round moves
the ensemble K learning-rate steps along residuals each bank saw alone (it overshoots, and the
small banks weigh as much as the large); the weighted sum is one step along an average of those
trees, which is what pooled boosting would take. Trees carry split thresholds and leaf values,
never rows.
"""

from __future__ import annotations

import json

import numpy as np
import xgboost as xgb

from aiplus.federated.data import Shard

PARAMS = {"objective": "binary:logistic", "eta": 0.3, "max_depth": 4, "subsample": 0.9,
          "base_score": 0.5, "eval_metric": "auc", "nthread": 1, "tree_method": "hist"}
"""A fixed ``base_score``: every bank must start from the same prior, or the first bank's label
rate would become everyone's starting point."""
TREES_PER_ROUND = 1
"""Flower's bagging appends ``num_parallel_tree`` trees per update: one boosting round each."""


def boost(shard: Shard, rounds: int, start: bytes | None = None, seed: int = 0) -> xgb.Booster:
    data = xgb.DMatrix(shard.x, label=shard.y)
    booster = None
    if start:
        booster = xgb.Booster(params=PARAMS)
        booster.load_model(bytearray(start))
    return xgb.train({**PARAMS, "seed": seed}, data, num_boost_round=rounds, xgb_model=booster)


def new_trees(booster: xgb.Booster, rounds: int = TREES_PER_ROUND) -> bytes:
    """Only the trees added in this round, serialised as XGBoost JSON."""
    total = booster.num_boosted_rounds()
    return bytes(booster[total - rounds: total].save_raw("json"))


def scaled(trees: bytes, weight: float) -> bytes:
    """The same trees with every leaf value multiplied by ``weight`` (splits unchanged)."""
    model = json.loads(trees)
    for tree in model["learner"]["gradient_booster"]["model"]["trees"]:
        leaf = [child == -1 for child in tree["left_children"]]
        # a leaf's value is stored both as its weight and in place of its split condition
        tree["base_weights"] = [w * weight for w in tree["base_weights"]]
        tree["split_conditions"] = [c * weight if is_leaf else c
                                    for c, is_leaf in zip(tree["split_conditions"], leaf)]
    return json.dumps(model).encode()


def score(model: bytes | xgb.Booster, x: np.ndarray) -> np.ndarray:
    if isinstance(model, bytes):
        loaded = xgb.Booster(params=PARAMS)
        loaded.load_model(bytearray(model))
        model = loaded
    return model.predict(xgb.DMatrix(x))
