"""The fitted fusion weights, confidence calibration and hand-over threshold, as small JSON.

They are fitted on dev splits only by :func:`aiplus.apps.enquiry.retrieval.tuning.fit_parameters`
and shipped in ``parameters.json`` beside this module, so a service starts without refitting and
a change of weights is a reviewable diff. The file's ``selection`` block records how the fusion
was chosen (see :mod:`.selection`): the sets and their dev sizes, the folds, every candidate
configuration's out-of-fold figures and the one chosen. Without the file (the very first fit)
a neutral hand-set scorer is used: dense similarity plus a share of relative BM25."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from aiplus.apps.enquiry.retrieval.calibration import CONFIDENCE_FEATURES
from aiplus.apps.enquiry.retrieval.fusion import FEATURES, LinearScorer

PARAMETERS_PATH = Path(__file__).resolve().parent / "parameters.json"


@dataclass(frozen=True)
class Parameters:
    fusion: LinearScorer
    calibration: LinearScorer
    threshold: float
    selection: dict = field(default_factory=dict)  # how the fusion was chosen (traceability)

    def to_dict(self) -> dict:
        return {"fusion": {"features": list(FEATURES), **self.fusion.to_dict()},
                "calibration": {"features": list(CONFIDENCE_FEATURES),
                                **self.calibration.to_dict()},
                "threshold": round(self.threshold, 6),
                "selection": self.selection}

    @classmethod
    def from_dict(cls, data: dict) -> Parameters:
        if data["fusion"]["features"] != list(FEATURES):
            raise ValueError("parameters.json was fitted for other fusion features; refit it")
        if data["calibration"]["features"] != list(CONFIDENCE_FEATURES):
            raise ValueError("parameters.json was fitted for other confidence features; refit it")
        return cls(LinearScorer.from_dict(data["fusion"]),
                   LinearScorer.from_dict(data["calibration"]), float(data["threshold"]),
                   data.get("selection") or {})


def default_parameters() -> Parameters:
    def plain(weights: list[float], bias: float) -> LinearScorer:
        n = len(weights)
        return LinearScorer(np.array(weights), bias, np.zeros(n), np.ones(n))

    fusion = plain([2.0, 2.0, 0.5, 0.5, 0.3, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3], 0.0)
    calibration = plain([1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 0.0)
    return Parameters(fusion, calibration, 0.5)


def load_parameters(path: Path = PARAMETERS_PATH) -> Parameters:
    if not path.exists():
        return default_parameters()
    return Parameters.from_dict(json.loads(path.read_text(encoding="utf-8")))
