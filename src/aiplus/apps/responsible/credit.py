"""The worked example: a credit-default model on the real UCI credit-card data.

A LightGBM classifier predicts whether a card holder defaults next month from the credit limit,
age, education, repayment status, bills and payments of six months. SEX and MARRIAGE are kept
out of the features but kept beside the rows, because leaving a characteristic out of a model
does not make it fair: the fairness test measures outcomes across SEX, AGE bands, EDUCATION and
MARRIAGE all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from aiplus.data.samples import UCI_CREDIT_LABEL, load_uci_credit, uci_credit_csv_bytes
from aiplus.models.registry import sha256_of
from aiplus.models.registry.loading import LoadedModel, lightgbm_scorer

SENSITIVE = ("SEX", "AGE_BAND", "EDUCATION", "MARRIAGE")
EXCLUDED = ("ID", "SEX", "MARRIAGE", UCI_CREDIT_LABEL)
AGE_BANDS = (0, 25, 35, 45, 55, 200)
AGE_LABELS = ("<25", "25-34", "35-44", "45-54", "55+")
PARAMS = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 31,
          "min_data_in_leaf": 50, "feature_fraction": 0.8, "bagging_fraction": 0.8,
          "bagging_freq": 1, "seed": 0, "deterministic": True, "num_threads": 2,
          "verbose": -1}
ROUNDS = 200


@dataclass
class CreditExample:
    booster: lightgbm.Booster
    model: LoadedModel
    test_features: pd.DataFrame
    test_label: np.ndarray
    test_sensitive: pd.DataFrame
    train_features: pd.DataFrame
    metrics: dict[str, float]
    data_sha256: str

    @property
    def artefact(self) -> bytes:
        return self.booster.model_to_string().encode()


def age_band(age: pd.Series) -> pd.Series:
    return pd.cut(age, bins=AGE_BANDS, labels=AGE_LABELS, right=False).astype(str)


def sensitive_columns(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"SEX": frame["SEX"].astype(str), "AGE_BAND": age_band(frame["AGE"]),
                         "EDUCATION": frame["EDUCATION"].astype(str),
                         "MARRIAGE": frame["MARRIAGE"].astype(str)}).reset_index(drop=True)


def train(seed: int = 0, rounds: int = ROUNDS) -> CreditExample:
    """Train on a stratified 70 % of the 30,000 rows; everything reported is on the 30 %."""
    data = load_uci_credit()
    train_rows, test_rows = train_test_split(data, test_size=0.3, random_state=seed,
                                             stratify=data[UCI_CREDIT_LABEL])
    features = [c for c in data.columns if c not in EXCLUDED]
    booster = lightgbm.train({**PARAMS, "seed": seed},
                             lightgbm.Dataset(train_rows[features],
                                              label=train_rows[UCI_CREDIT_LABEL]),
                             num_boost_round=rounds)
    model = lightgbm_scorer(booster)
    test_features = test_rows[features].reset_index(drop=True)
    label = test_rows[UCI_CREDIT_LABEL].to_numpy()
    auc = float(roc_auc_score(label, model.score(test_features)))
    return CreditExample(
        booster=booster, model=model, test_features=test_features, test_label=label,
        test_sensitive=sensitive_columns(test_rows), train_features=train_rows[features],
        metrics={"auc": auc, "train_rows": float(len(train_rows)),
                 "test_rows": float(len(test_rows))},
        data_sha256=sha256_of(uci_credit_csv_bytes()))


def describe(example: CreditExample) -> dict[str, Any]:
    return {"features": list(example.test_features.columns), "metrics": example.metrics}
