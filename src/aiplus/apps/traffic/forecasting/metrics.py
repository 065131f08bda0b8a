"""The standard masked error protocol (as in the METR-LA / PEMS-BAY literature).

Missing or zero truths are sensor gaps, not real zero travel times, so they are masked out
instead of rewarding a model that predicts zero.
"""

from __future__ import annotations

import numpy as np


def _mask(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    return np.isfinite(truth) & np.isfinite(predicted) & (np.abs(truth) > 1e-9)


def masked_mae(truth: np.ndarray, predicted: np.ndarray) -> float:
    keep = _mask(np.asarray(truth, float), np.asarray(predicted, float))
    return float(np.mean(np.abs(np.asarray(truth)[keep] - np.asarray(predicted)[keep])))


def masked_rmse(truth: np.ndarray, predicted: np.ndarray) -> float:
    keep = _mask(np.asarray(truth, float), np.asarray(predicted, float))
    error = np.asarray(truth)[keep] - np.asarray(predicted)[keep]
    return float(np.sqrt(np.mean(error**2)))


def masked_mape(truth: np.ndarray, predicted: np.ndarray) -> float:
    """Mean absolute percentage error, in percent."""
    truth, predicted = np.asarray(truth, float), np.asarray(predicted, float)
    keep = _mask(truth, predicted)
    return float(np.mean(np.abs((truth[keep] - predicted[keep]) / truth[keep])) * 100)


def scores(truth: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    return {"mae": masked_mae(truth, predicted), "rmse": masked_rmse(truth, predicted),
            "mape": masked_mape(truth, predicted),
            "n": int(_mask(np.asarray(truth, float), np.asarray(predicted, float)).sum())}
