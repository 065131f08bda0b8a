"""Credit data for federated learning: the schema every participant must hold, and scaling.

Why scaling is federated: a bank may not pool its customers to compute column statistics, so
each participant shares only per-column counts, sums and sums of squares (:class:`Moments`),
and the standardisation is built from their total. Amount columns are log-compressed first
because bill and payment amounts span six orders of magnitude.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

ID_COLUMN = "ID"
PROTECTED_COLUMN = "SEX"
"""Kept out of the features (protected attribute) but carried for fairness by sex."""
AMOUNT_PREFIXES = ("LIMIT_BAL", "BILL_AMT", "PAY_AMT")


@dataclass(frozen=True)
class Schema:
    """The columns every participant agrees to hold, in order."""

    features: tuple[str, ...]
    label: str

    @classmethod
    def infer(cls, frame: pd.DataFrame, label: str) -> Schema:
        if label not in frame.columns:
            raise ValidationFailed(N_("The label column {label} is not in the data."),
                                  label=label)
        skip = {label, ID_COLUMN, PROTECTED_COLUMN}
        numeric = [c for c in frame.columns
                   if c not in skip and pd.api.types.is_numeric_dtype(frame[c])]
        if not numeric:
            raise ValidationFailed(N_("The data has no numeric feature columns."))
        return cls(tuple(numeric), label)

    def check(self, frame: pd.DataFrame, who: str) -> None:
        """Refuse a participant whose columns differ from the agreed schema."""
        missing = [c for c in (*self.features, self.label) if c not in frame.columns]
        if missing:
            raise ValidationFailed(
                N_("Participant {who} does not match the agreed schema: missing {columns}."),
                who=who, columns=", ".join(missing))


def compress(frame: pd.DataFrame, schema: Schema) -> np.ndarray:
    """Features as float64, amounts as signed log1p so one large bill cannot dominate."""
    values = frame.loc[:, list(schema.features)].to_numpy(dtype=np.float64)
    for j, name in enumerate(schema.features):
        if name.startswith(AMOUNT_PREFIXES):
            values[:, j] = np.sign(values[:, j]) * np.log1p(np.abs(values[:, j]))
    return values


@dataclass(frozen=True)
class Moments:
    """What a participant reveals to agree on scaling: count, per-column sum and sum of squares."""

    count: int
    total: np.ndarray
    squares: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray) -> Moments:
        return cls(len(values), values.sum(axis=0), (values ** 2).sum(axis=0))


@dataclass(frozen=True)
class Scaler:
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def from_moments(cls, parts: list[Moments]) -> Scaler:
        count = sum(p.count for p in parts)
        mean = sum(p.total for p in parts) / count
        var = sum(p.squares for p in parts) / count - mean ** 2
        return cls(mean, np.sqrt(np.maximum(var, 1e-12)))

    def transform(self, values: np.ndarray) -> np.ndarray:
        return ((values - self.mean) / self.scale).astype(np.float32)


@dataclass(frozen=True)
class Shard:
    """One participant's (or the test set's) rows, ready for training."""

    x: np.ndarray
    y: np.ndarray
    ids: np.ndarray
    sex: np.ndarray

    def save(self, path: Path) -> None:
        np.savez(path, x=self.x, y=self.y, ids=self.ids, sex=self.sex)

    @classmethod
    def load(cls, path: str | Path) -> Shard:
        with np.load(path) as f:
            return cls(f["x"], f["y"], f["ids"], f["sex"])

    def __len__(self) -> int:
        return len(self.y)


def to_shard(frame: pd.DataFrame, schema: Schema, scaler: Scaler) -> Shard:
    ids = frame[ID_COLUMN].to_numpy() if ID_COLUMN in frame else frame.index.to_numpy()
    sex = (frame[PROTECTED_COLUMN].to_numpy() if PROTECTED_COLUMN in frame
           else np.zeros(len(frame), dtype=np.int64))
    return Shard(scaler.transform(compress(frame, schema)),
                 frame[schema.label].to_numpy(dtype=np.float32), ids, sex)


def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV the operator points at, with a clear message when it cannot be read."""
    try:
        return pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise ValidationFailed(N_("Could not read the data file {path}: {reason}"),
                              path=str(path), reason=str(exc)) from exc
