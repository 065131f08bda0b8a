"""How credit scores are judged: ROC AUC and the Kolmogorov-Smirnov statistic.

KS (the largest gap between the score distributions of defaulters and non-defaulters) is the
figure credit-risk teams quote beside AUC.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import ks_2samp
from sklearn.metrics import roc_auc_score


def auc(y: np.ndarray, scores: np.ndarray) -> float | None:
    """None when the rows hold one class only (AUC is undefined there)."""
    if len(np.unique(y)) < 2 or not np.all(np.isfinite(scores)):
        return None
    return round(float(roc_auc_score(y, scores)), 4)


def ks(y: np.ndarray, scores: np.ndarray) -> float | None:
    if len(np.unique(y)) < 2 or not np.all(np.isfinite(scores)):
        return None
    return round(float(ks_2samp(scores[y == 1], scores[y == 0]).statistic), 4)
