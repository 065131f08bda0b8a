"""The register's content, built from the platform's app registry."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from aiplus.platform.registry import AppRegistry

if TYPE_CHECKING:
    from aiplus.platform.services import Platform

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


def registered_systems(platform: Platform) -> list[dict[str, Any]]:
    """Every registered model version with its risk level, assessment status and latest test
    results (the registry and ethics pillars, whose tables every platform installs)."""
    from aiplus.ethics.register import registered_systems as systems
    from aiplus.models.registry import sync_once

    sync_once(platform.db, platform.files, platform.registry, platform.shared)
    with platform.db.read() as session:
        return systems(session)


def register_document(platform: Platform) -> dict[str, Any]:
    """The whole register: applications with their model cards, and registered systems."""
    apps = register_entries(platform.registry)
    systems = registered_systems(platform)
    return {"apps": apps, "count": len(apps),
            "models": sum(len(app["models"]) for app in apps), "systems": systems}
