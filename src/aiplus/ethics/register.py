"""What the public AI register shows about each registered model: purpose, owner, versions,
risk level and assessment status, and the latest assurance results."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from aiplus.ethics.assessment.store import assessments_of
from aiplus.models.registry import list_models

LEVEL_NAMES = ("I", "II", "III", "IV")


def registered_systems(session: Session) -> list[dict[str, Any]]:
    systems = []
    for model in list_models(session):
        versions = []
        for row in model.versions:
            found = assessments_of(session, row)
            last = found[-1] if found else None
            versions.append({
                "version": row.version, "status": row.status,
                "risk_level": LEVEL_NAMES[last.level - 1] if last else None,
                "assessment_status": last.status if last else "not assessed",
                "next_review_on": last.next_review_on.isoformat()
                if last and last.next_review_on else None,
                "tests": {name: {"passed": r.passed, "summary": r.summary,
                                 "at": r.created_at.isoformat()}
                          for name, r in row.latest_results().items()},
            })
        latest = model.versions[-1] if model.versions else None
        systems.append({
            "name": model.name, "title": {"en": model.title_en, "zh-Hant": model.title_zh},
            "owner": model.org, "app": model.app, "kind": model.kind,
            "purpose": latest.card.get("intended_use") if latest else None,
            "versions": versions,
        })
    return systems
