"""Split-conformal prediction intervals from held-out absolute errors.

The errors come from a chronologically later slice than the one the model learned from, so
the band reflects how wrong the model is on unseen days; the finite-sample quantile gives the
stated coverage when the future errors resemble the held-out ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ConformalBand:
    half_width: float
    coverage: float

    @classmethod
    def fit(cls, absolute_errors: np.ndarray, coverage: float = 0.9) -> ConformalBand:
        errors = np.sort(np.asarray(absolute_errors, float)[np.isfinite(absolute_errors)])
        if len(errors) == 0:
            return cls(float("inf"), coverage)
        rank = min(len(errors), math.ceil((len(errors) + 1) * coverage))
        return cls(float(errors[rank - 1]), coverage)

    def interval(self, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return centre - self.half_width, centre + self.half_width
