"""The register's content, built from the platform's app registry."""

from __future__ import annotations

import csv
import io
from typing import Any

from aiplus.platform.registry import AppRegistry

CSV_FIELDS = ("app", "app_title_en", "app_title_zh", "seed_system_en", "seed_system_zh", "risk_level",
              "personal_data", "model", "model_version", "model_owner", "model_licence")


def register_entries(registry: AppRegistry) -> list[dict[str, Any]]:
    """One entry per application: its metadata, assessment and model cards."""
    return [app.as_dict() for app in registry]


def register_rows(registry: AppRegistry) -> list[dict[str, Any]]:
    """Flat rows (one per model, or one per app without models) for spreadsheets."""
    rows = []
    for app in registry:
        base = {
            "app": app.slug, "app_title_en": app.title.en, "app_title_zh": app.title.zh,
            "seed_system_en": app.seed_system.en, "seed_system_zh": app.seed_system.zh,
            "risk_level": app.assessment.risk_level,
            "personal_data": app.assessment.personal_data,
        }
        cards = app.models or (None,)
        for card in cards:
            rows.append({
                **base,
                "model": card.name if card else "",
                "model_version": card.version if card else "",
                "model_owner": card.owner if card else "",
                "model_licence": card.licence if card else "",
            })
    return rows


def register_csv(registry: AppRegistry) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    writer.writerows(register_rows(registry))
    return buffer.getvalue()
