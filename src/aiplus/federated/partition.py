"""Splitting one table across K participants the way banks really differ (non-IID).

* ``iid``: a random split, equal in expectation - the easy case FL papers start from.
* ``dirichlet:ALPHA``: each label class is spread over the participants by its own
  Dirichlet draw, so some banks see far more defaulters than others (smaller ALPHA, more
  skew), yet no bank drains a class.
* ``column:NAME``: customers are split by quantile bands of a column, e.g. ``LIMIT_BAL``, so
  each bank serves one credit-limit segment.

Sizes are unequal on purpose: participant sizes follow a geometric progression so the last
banks are small, which is where federation should help most.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

SIZE_RATIO = 0.6
"""Each participant holds about this fraction of the previous one's rows."""
MIN_ROWS = 50


@dataclass(frozen=True)
class Partitioning:
    kind: str
    alpha: float = 0.5
    column: str = ""

    @classmethod
    def parse(cls, text: str) -> Partitioning:
        kind, _, arg = text.partition(":")
        if kind == "iid" and not arg:
            return cls("iid")
        if kind == "dirichlet":
            try:
                alpha = float(arg)
            except ValueError:
                alpha = -1.0
            if alpha > 0:
                return cls("dirichlet", alpha=alpha)
        if kind == "column" and arg:
            return cls("column", column=arg)
        raise ValidationFailed(
            N_("Unknown partitioning {text}: use iid, dirichlet:ALPHA or column:NAME."),
            text=text)

    def __str__(self) -> str:
        return {"iid": "iid", "dirichlet": f"dirichlet:{self.alpha:g}"}.get(
            self.kind, f"column:{self.column}")


def unequal_sizes(total: int, k: int) -> np.ndarray:
    weights = SIZE_RATIO ** np.arange(k)
    sizes = np.floor(total * weights / weights.sum()).astype(int)
    sizes[0] += total - sizes.sum()
    return sizes


def split(frame: pd.DataFrame, label: str, k: int, how: Partitioning,
          seed: int = 0) -> list[pd.DataFrame]:
    """K disjoint frames; largest first, every one with at least MIN_ROWS rows."""
    if k < 2:
        raise ValidationFailed(N_("Federated learning needs at least {k} participants."), k=2)
    rng = np.random.default_rng(seed)
    sizes = unequal_sizes(len(frame), k)
    if sizes.min() < MIN_ROWS:
        raise ValidationFailed(
            N_("Too few rows for {k} participants: the smallest would hold {rows}."),
            k=k, rows=int(sizes.min()))
    if how.kind == "column":
        if how.column not in frame.columns:
            raise ValidationFailed(N_("The partition column {column} is not in the data."),
                                   column=how.column)
        order = np.argsort(frame[how.column].to_numpy(), kind="stable")
        cuts = np.cumsum(sizes)[:-1]
        return [frame.iloc[np.sort(part)] for part in np.split(order, cuts)]
    if how.kind == "iid":
        order = rng.permutation(len(frame))
        return [frame.iloc[np.sort(part)] for part in np.split(order, np.cumsum(sizes)[:-1])]
    return _dirichlet(frame, label, sizes, how.alpha, rng)


def _dirichlet(frame: pd.DataFrame, label: str, sizes: np.ndarray, alpha: float,
               rng: np.random.Generator, attempts: int = 100) -> list[pd.DataFrame]:
    """Split each label class across participants by its own Dirichlet draw.

    Class ``c``'s shares follow Dirichlet(ALPHA * K * w), where ``w`` are the unequal target
    sizes as fractions: every bank expects its size's share of every class (so sizes stay
    unequal in expectation), and smaller ALPHA scatters each class more unevenly. Drawing
    per class, rather than filling banks one after another, keeps the first bank from
    draining a rare class. Draws leaving a bank under MIN_ROWS are redrawn.
    """
    labels = frame[label].to_numpy()
    weights = sizes / sizes.sum()
    concentration = alpha * len(sizes) * weights
    classes = [rng.permutation(np.flatnonzero(labels == c)) for c in np.unique(labels)]
    for _ in range(attempts):
        parts: list[list[int]] = [[] for _ in sizes]
        for members in classes:
            shares = rng.dirichlet(concentration)
            cuts = np.floor(np.cumsum(shares)[:-1] * len(members)).astype(int)
            for rows, chunk in zip(parts, np.split(members, cuts), strict=True):
                rows.extend(chunk.tolist())
        if min(len(rows) for rows in parts) >= MIN_ROWS:
            parts.sort(key=len, reverse=True)
            return [frame.iloc[np.sort(np.array(rows, dtype=int))] for rows in parts]
    raise ValidationFailed(
        N_("Dirichlet({alpha}) leaves a participant with under {rows} rows: use a larger alpha "
           "or fewer participants."), alpha=alpha, rows=MIN_ROWS)
