"""Turning a registered artefact back into a scoring function, without unpickling.

Only formats that carry no executable code are loaded from storage: LightGBM's text model and
ONNX. A pickled scikit-learn estimator can run arbitrary code when loaded, so it is never
loaded here; register such models in ONNX form, or pass the fitted object directly to the
assurance tests from Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.models.registry.tables import Kind


@dataclass
class LoadedModel:
    """A probability-of-positive function, plus the tree ensemble when SHAP can use it."""

    score: Any
    tree_model: Any = None
    features: list[str] | None = None


def lightgbm_scorer(booster: Any) -> LoadedModel:
    names = list(booster.feature_name())

    def score(frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(booster.predict(frame[names]), dtype=float)

    return LoadedModel(score=score, tree_model=booster, features=names)


def onnx_scorer(data: bytes) -> LoadedModel:
    import onnxruntime

    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    feed = session.get_inputs()[0].name

    def score(frame: pd.DataFrame) -> np.ndarray:
        outputs = session.run(None, {feed: frame.to_numpy(dtype=np.float32)})
        probabilities = outputs[-1]
        if isinstance(probabilities, list):  # ZipMap output: [{0: p0, 1: p1}, ...]
            return np.array([row[1] for row in probabilities], dtype=float)
        return np.asarray(probabilities)[:, -1].astype(float)

    return LoadedModel(score=score)


def load_scorer(kind: str, data: bytes) -> LoadedModel:
    if kind == Kind.LIGHTGBM:
        import lightgbm

        return lightgbm_scorer(lightgbm.Booster(model_str=data.decode()))
    if kind == Kind.ONNX:
        return onnx_scorer(data)
    raise ValidationFailed(
        N_("Models of kind {kind} cannot be loaded for testing; register LightGBM text or ONNX "
           "models, or test from predictions."), kind=kind)
