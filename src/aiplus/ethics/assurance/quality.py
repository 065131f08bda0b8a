"""Data quality of the rows a model is tested on: blanks, duplicates, constants, balance."""

from __future__ import annotations

from typing import Any

import numpy as np

from aiplus.core.i18n import Bilingual
from aiplus.ethics.assurance.contract import AssuranceData, AssurancePlugin

INPUT = {
    "type": "object",
    "properties": {
        "max_missing_share": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05},
        "max_duplicate_share": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05},
        "min_group_rows": {"type": "integer", "minimum": 1, "default": 30},
    },
    "additionalProperties": False,
}
OUTPUT = {
    "type": "object",
    "required": ["rows", "columns", "duplicate_share", "label_positive_share", "small_groups"],
}


def run(data: AssuranceData, params: dict[str, Any]) -> dict[str, Any]:
    frame = data.features
    columns = {}
    if frame is not None:
        for name in frame.columns:
            column = frame[name]
            numeric = column.dtype.kind in "biuf"
            columns[str(name)] = {
                "dtype": str(column.dtype),
                "missing_share": float(column.isna().mean()),
                "distinct": int(column.nunique()),
                "constant": bool(column.nunique(dropna=True) <= 1),
                "min": float(column.min()) if numeric and column.notna().any() else None,
                "max": float(column.max()) if numeric and column.notna().any() else None,
            }
    small = []
    if data.sensitive is not None:
        for name in data.sensitive.columns:
            counts = data.sensitive[name].value_counts()
            small += [{"group": f"{name}={g}", "rows": int(n)} for g, n in counts.items()
                      if n < params["min_group_rows"]]
    return {
        "rows": len(data.y_true),
        "columns": columns,
        "duplicate_share": float(frame.duplicated().mean()) if frame is not None else 0.0,
        "label_positive_share": float(np.mean(data.y_true)),
        "small_groups": small,
    }


def verdict(output: dict[str, Any], params: dict[str, Any]) -> bool:
    worst = max((c["missing_share"] for c in output["columns"].values()), default=0.0)
    return worst <= params["max_missing_share"] and (
        output["duplicate_share"] <= params["max_duplicate_share"])


def headline(output: dict[str, Any]) -> dict[str, float | None]:
    worst = max((c["missing_share"] for c in output["columns"].values()), default=0.0)
    return {"rows": float(output["rows"]), "duplicate_share": output["duplicate_share"],
            "worst_missing_share": worst, "small_groups": float(len(output["small_groups"]))}


plugin = AssurancePlugin(
    name="data-quality", version="1.0",
    title=Bilingual("Data quality", "數據質素"),
    input_schema=INPUT, output_schema=OUTPUT, run=run, verdict=verdict, headline=headline,
)
