"""Every application's declared models, copied into the registry so that it lists them all.

Apps declare :class:`~aiplus.platform.registry.ModelCard` values in code; the registry is where
versions, assessments and test results live. :func:`sync_app_cards` is idempotent: it registers
what is missing and leaves what is there, so it can run on every start or demo load.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.orm import Session

from aiplus.core.db import Database
from aiplus.core.errors import Conflict, ValidationFailed
from aiplus.core.storage import FileStore
from aiplus.models.registry.service import (
    PLATFORM_ORG,
    CardText,
    Lineage,
    list_models,
    register_version,
)
from aiplus.models.registry.tables import Kind
from aiplus.platform.registry import AppRegistry, ModelCard

SYSTEM_ACTOR = "system"
_NOT_NAME = re.compile(r"[^a-z0-9._-]+")
_NOT_VERSION = re.compile(r"[^0-9A-Za-z._+-]+")


def registry_name(card: ModelCard) -> str:
    return _NOT_NAME.sub("-", card.name.lower()).strip("-")[:100]


def registry_version(card: ModelCard) -> str:
    return _NOT_VERSION.sub("-", card.version).strip("-")[:40] or "1"


def sync_app_cards(session: Session, files: FileStore, apps: AppRegistry) -> int:
    """Register each app's model cards as versions owned by the platform; returns how many
    were new. A card whose text changed without a new version number is left as it was."""
    known = {(m.name, v.version) for m in list_models(session) for v in m.versions}
    added = 0
    for app, card in apps.models():
        name, version = registry_name(card), registry_version(card)
        if (name, version) in known:
            continue
        text = CardText(intended_use=card.intended_use, out_of_scope=card.out_of_scope,
                        data=card.data, limits=card.limits)
        lineage = Lineage(dataset=card.source or card.name, version=card.version,
                          note=f"declared by app {app.slug}; licence {card.licence}")
        try:
            with session.begin_nested():
                register_version(
                    session, files, name=name, version=version, kind=Kind.OTHER.value,
                    org=PLATFORM_ORG, actor=SYSTEM_ACTOR, title=card.title, card=text,
                    lineage=lineage, metrics=card.metrics, app=app.slug)
        except (Conflict, ValidationFailed):
            continue  # e.g. the name is taken by an organisation's own model
        known.add((name, version))
        added += 1
    return added


def sync_once(db: Database, files: FileStore, apps: AppRegistry,
              shared: Callable[[str, Callable[[], object]], object]) -> None:
    """Sync on first use in this process (``shared`` is the platform's once-per-platform
    store), so every page that lists models sees every app's models."""
    def sync() -> bool:
        with db.transaction() as session:
            sync_app_cards(session, files, apps)
        return True

    shared("registry.app-cards-synced", sync)
