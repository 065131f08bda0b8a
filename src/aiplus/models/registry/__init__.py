"""The model registry: versions, artefacts, lineage, bilingual model cards and lifecycle.

The stable Python API other pillars and apps use::

    from aiplus.models.registry import CardText, Lineage, register_version
    with platform.db.transaction() as session:
        row = register_version(session, platform.files, name="credit-default", version="1.0.0",
                               kind="lightgbm", org="hkma", actor="ann", title=Bilingual(...),
                               card=CardText(...), lineage=Lineage("uci-credit", version="2009"),
                               metrics={"auc": 0.78}, artefact=model_bytes)

Pillars that must approve a version before it is deployed add a gate with
:func:`register_deployment_gate` (see :mod:`.gates`).
"""

from aiplus.core.lazy import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    **dict.fromkeys(("PLATFORM_ORG", "CardText", "Lineage", "get_version", "list_models",
                     "load_artefact", "register_version", "sha256_of", "transition"), "service"),
    **dict.fromkeys(("DeploymentGate", "register_deployment_gate"), "gates"),
    **dict.fromkeys(("sync_app_cards", "sync_once"), "sync"),
    **dict.fromkeys(("AssuranceResult", "Kind", "ModelVersion", "RegisteredModel", "Status"),
                    "tables"),
})
