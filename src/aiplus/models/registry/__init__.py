"""The model registry: versions, artefacts, lineage, bilingual model cards and lifecycle.

The stable Python API other pillars and apps use::

    from aiplus.models.registry import CardText, Lineage, register_version
    with platform.db.transaction() as session:
        row = register_version(session, platform.files, name="credit-default", version="1.0.0",
                               kind="lightgbm", org="hkma", actor="ann", title=Bilingual(...),
                               card=CardText(...), lineage=Lineage("uci-credit", version="2009"),
                               metrics={"auc": 0.78}, artefact=model_bytes)
"""

from aiplus.models.registry.service import (
    PLATFORM_ORG,
    CardText,
    Lineage,
    get_version,
    list_models,
    load_artefact,
    register_version,
    sha256_of,
    transition,
)
from aiplus.models.registry.sync import sync_app_cards, sync_once
from aiplus.models.registry.tables import (
    AssuranceResult,
    Kind,
    ModelVersion,
    RegisteredModel,
    Status,
)

__all__ = [
    "PLATFORM_ORG", "AssuranceResult", "CardText", "Kind", "Lineage", "ModelVersion",
    "RegisteredModel", "Status", "get_version", "list_models", "load_artefact",
    "register_version", "sha256_of", "sync_app_cards", "sync_once", "transition",
]
