"""Fairness as an assurance plugin: Fairlearn group metrics with bootstrap intervals."""

from __future__ import annotations

from typing import Any

from aiplus.core.i18n import Bilingual
from aiplus.ethics.assurance.contract import AssuranceData, AssurancePlugin, number_map
from aiplus.ethics.fairness import fairness_report

INPUT = {
    "type": "object",
    "properties": {
        "bootstrap": {"type": "integer", "minimum": 1, "maximum": 2000, "default": 200},
        "confidence": {"type": "number", "minimum": 0.5, "exclusiveMaximum": 1, "default": 0.95},
        "seed": {"type": "integer", "default": 0},
        "min_disparate_impact": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.8},
        "max_equalized_odds_difference": {"type": "number", "minimum": 0, "maximum": 1,
                                          "default": 0.1},
    },
    "additionalProperties": False,
}
OUTPUT = {
    "type": "object",
    "required": ["groups", "disparities", "intervals", "overall", "method"],
    "properties": {
        "groups": {"type": "object", "additionalProperties": number_map()},
        "disparities": {"type": "object", "additionalProperties": {"type": "object"}},
        "intervals": {"type": "object"},
        "disparity_intervals": {"type": "object"},
        "overall": number_map(),
        "method": {"type": "object"},
    },
}


def run(data: AssuranceData, params: dict[str, Any]) -> dict[str, Any]:
    return fairness_report(data.y_true, data.y_pred, data.sensitive, data.y_score,
                           bootstrap=params["bootstrap"], confidence=params["confidence"],
                           seed=params["seed"])


def verdict(output: dict[str, Any], params: dict[str, Any]) -> bool:
    """Every sensitive column keeps disparate impact and equalised odds within the limits."""
    for figures in output["disparities"].values():
        impact, odds = figures["disparate_impact"], figures["equalized_odds_difference"]
        if impact is not None and impact < params["min_disparate_impact"]:
            return False
        if odds is not None and odds > params["max_equalized_odds_difference"]:
            return False
    return True


def headline(output: dict[str, Any]) -> dict[str, float | None]:
    figures: dict[str, float | None] = {}
    for column, values in output["disparities"].items():
        figures[f"{column} disparate_impact"] = values["disparate_impact"]
        figures[f"{column} equalized_odds_difference"] = values["equalized_odds_difference"]
    return figures


plugin = AssurancePlugin(
    name="fairness", version="1.0",
    title=Bilingual("Fairness across groups", "群組間公平性"),
    input_schema=INPUT, output_schema=OUTPUT, run=run, verdict=verdict, headline=headline,
    needs=frozenset({"sensitive"}),
)
