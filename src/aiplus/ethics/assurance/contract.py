"""The one contract every assurance test keeps (after AI Verify's plugins).

A plugin has a name, a version, a JSON Schema for its parameters and one for its output, and a
``run`` function. Because parameters and outputs are schema'd JSON, results can be stored,
compared across model versions and rendered in reports without knowing the plugin's code.
Plugins run on :class:`AssuranceData`: predictions alone, or a model plus the rows it scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import jsonschema
import numpy as np
import pandas as pd

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_, Bilingual
from aiplus.ethics import inputs


class ScoringModel(Protocol):
    """Anything that gives the probability of the positive class for rows of features."""

    def __call__(self, features: pd.DataFrame) -> np.ndarray: ...


@dataclass
class AssuranceData:
    """What the tests look at. ``model`` and ``features`` are optional: without them only the
    tests that need predictions alone (fairness, performance) can run."""

    y_true: np.ndarray
    y_pred: np.ndarray
    y_score: np.ndarray | None = None
    sensitive: pd.DataFrame | None = None
    features: pd.DataFrame | None = None
    model: ScoringModel | None = None
    tree_model: Any = None
    """The underlying tree ensemble, when there is one, for SHAP's exact TreeExplainer."""
    threshold: float = 0.5

    @classmethod
    def from_predictions(cls, frame: pd.DataFrame, *, label: str, pred: str,
                         score: str | None = None,
                         sensitive: Sequence[str] = ()) -> AssuranceData:
        """Columns of an uploaded predictions file, checked and named in every error."""
        inputs.require_columns(frame, [label, pred, *([score] if score else []), *sensitive])
        truth = inputs.binary(frame[label], label)
        return cls(
            y_true=truth,
            y_pred=inputs.binary(frame[pred], pred),
            y_score=inputs.scores(frame[score], score) if score else None,
            sensitive=inputs.sensitive_frame(frame[list(sensitive)], len(truth))
            if sensitive else None,
            features=frame.drop(columns=[c for c in (label, pred, score) if c]),
        )

    @classmethod
    def from_model(cls, model: ScoringModel, features: pd.DataFrame, y_true: Any, *,
                   sensitive: pd.DataFrame | None = None, threshold: float = 0.5,
                   tree_model: Any = None) -> AssuranceData:
        truth = inputs.binary(y_true, "y_true")
        try:
            score = np.asarray(model(features), dtype=float)
        except (ValueError, TypeError, KeyError) as problem:  # e.g. text in a numeric column
            raise ValidationFailed(N_("The model could not score these rows: {reason}"),
                                   reason=str(problem)[:300]) from None
        return cls(y_true=truth, y_pred=(score >= threshold).astype(np.int64), y_score=score,
                   sensitive=inputs.sensitive_frame(sensitive, len(truth))
                   if sensitive is not None else None,
                   features=features, model=model, tree_model=tree_model, threshold=threshold)


@dataclass(frozen=True)
class AssurancePlugin:
    """One assurance test."""

    name: str
    version: str
    title: Bilingual
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    run: Callable[[AssuranceData, dict[str, Any]], dict[str, Any]]
    verdict: Callable[[dict[str, Any], dict[str, Any]], bool | None]
    """Whether the output meets the plugin's thresholds (from the parameters); None = no rule."""
    headline: Callable[[dict[str, Any]], dict[str, float | None]]
    """The few figures compared across model versions."""
    needs: frozenset[str] = field(default_factory=frozenset)
    """Fields of :class:`AssuranceData` that must be present ("model", "y_score", ...)."""

    def parameters(self, given: dict[str, Any] | None) -> dict[str, Any]:
        """The parameters with defaults filled in, refused (naming the field) if invalid."""
        params = dict(given or {})
        for key, spec in self.input_schema.get("properties", {}).items():
            if key not in params and "default" in spec:
                params[key] = spec["default"]
        error = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(self.input_schema).iter_errors(params))
        if error is not None:
            where = ".".join(map(str, error.absolute_path)) or self.name
            raise ValidationFailed(N_("Parameter {field} of test {test} is invalid: {reason}"),
                                   field=where, test=self.name, reason=error.message)
        return params

    def execute(self, data: AssuranceData, given: dict[str, Any] | None = None
                ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Run on ``data``; returns (parameters used, output checked against its schema)."""
        for need in sorted(self.needs):
            if getattr(data, need) is None:
                raise ValidationFailed(N_("Test {test} needs {what}; it cannot run from "
                                          "these inputs."), test=self.name, what=need)
        params = self.parameters(given)
        output = self.run(data, params)
        jsonschema.validate(output, self.output_schema)
        return params, output


def number_map(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Schema of ``{name: number or null}``."""
    return {"type": "object", "additionalProperties": {"type": ["number", "null"]},
            **(extra or {})}
