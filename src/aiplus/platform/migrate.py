"""Schema migrations with Alembic: the platform's chain, every pillar's, and any app's.

Each pillar keeps its tables and their Alembic chain together (``<pillar>/tables.py`` and
``<pillar>/migrations/versions``); the platform always installs the pillars' chains, found here
by path so that migrating never imports a pillar. Apps add theirs through ``App.migrations``.
Revisions are frozen: they import only Alembic, SQLAlchemy and the standard library.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from aiplus.core.db import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PACKAGE = MIGRATIONS.parent.parent
PILLAR_CHAINS = tuple(_PACKAGE.joinpath(*pillar.split("/"), "migrations", "versions") for pillar in (
    "data/catalog", "data/spatial", "models/registry", "guard", "gateway", "ethics"))


def alembic_config(extra_locations: Iterable[Path] = ()) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    locations = [MIGRATIONS / "versions", *PILLAR_CHAINS, *extra_locations]
    config.set_main_option("version_locations", " ".join(str(p) for p in locations))
    config.set_main_option("path_separator", "space")
    return config


def upgrade(db: Database, extra_locations: Iterable[Path] = ()) -> None:
    """Bring the database to the newest schema, in one transaction where the database allows."""
    config = alembic_config(extra_locations)
    with db.write_engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
        connection.commit()


def pending(db: Database, extra_locations: Iterable[Path] = ()) -> set[str]:
    """Head revisions not yet applied; empty when the schema is current."""
    heads = set(ScriptDirectory.from_config(alembic_config(extra_locations)).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return heads - current
