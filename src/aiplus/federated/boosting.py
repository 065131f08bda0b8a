"""Gradient-boosted trees for Flower's federated XGBoost bagging (``FedXgbBagging``).

Each round every participant loads the global ensemble, boosts a few more trees on its own
rows, and sends only those new trees; the coordinator appends every participant's trees to
the ensemble. Trees carry split thresholds and leaf values, never rows.
"""

from __future__ import annotations

import numpy as np
import xgboost as xgb

from aiplus.federated.data import Shard

PARAMS = {"objective": "binary:logistic", "eta": 0.1, "max_depth": 4, "subsample": 0.9,
          "eval_metric": "auc", "nthread": 1, "tree_method": "hist"}


def boost(shard: Shard, rounds: int, start: bytes | None = None, seed: int = 0) -> xgb.Booster:
    data = xgb.DMatrix(shard.x, label=shard.y)
    booster = None
    if start:
        booster = xgb.Booster(params=PARAMS)
        booster.load_model(bytearray(start))
    return xgb.train({**PARAMS, "seed": seed}, data, num_boost_round=rounds, xgb_model=booster)


def new_trees(booster: xgb.Booster, rounds: int) -> bytes:
    """Only the trees added in this round, serialised as XGBoost JSON."""
    total = booster.num_boosted_rounds()
    return bytes(booster[total - rounds: total].save_raw("json"))


def score(model: bytes | xgb.Booster, x: np.ndarray) -> np.ndarray:
    if isinstance(model, bytes):
        loaded = xgb.Booster(params=PARAMS)
        loaded.load_model(bytearray(model))
        model = loaded
    return model.predict(xgb.DMatrix(x))
