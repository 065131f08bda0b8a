"""Splitting one table across K participants the way banks really differ (non-IID).

* ``iid``: a random split, equal in expectation - the easy case FL papers start from.
* ``dirichlet:ALPHA``: each participant's share of each label class is drawn from a
  Dirichlet(ALPHA) distribution, so some banks see far more defaulters than others
  (smaller ALPHA, more skew).
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
               rng: np.random.Generator) -> list[pd.DataFrame]:
    """Fill each participant's quota with a Dirichlet-drawn mix of the label classes."""
    labels = frame[label].to_numpy()
    pools = {c: list(rng.permutation(np.flatnonzero(labels == c))) for c in np.unique(labels)}
    classes = sorted(pools)
    parts: list[list[int]] = []
    for size in sizes:
        mix = rng.dirichlet([alpha] * len(classes))
        wanted = np.floor(mix * size).astype(int)
        wanted[int(np.argmax(mix))] += size - wanted.sum()
        rows: list[int] = []
        for c, n in zip(classes, wanted, strict=True):
            take, pools[c] = pools[c][:n], pools[c][n:]
            rows.extend(take)
        parts.append(rows)
    # Classes that ran dry leave participants short; top them up from what is left.
    rest = list(rng.permutation([i for pool in pools.values() for i in pool]))
    for rows, size in zip(parts, sizes, strict=True):
        short = int(size) - len(rows)
        rows.extend(rest[:short])
        rest = rest[short:]
    return [frame.iloc[np.sort(np.array(rows, dtype=int))] for rows in parts]
