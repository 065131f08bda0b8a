"""Every chain, the platform's, the pillars' and the apps', downgrades to nothing and upgrades
again: a revision whose downgrade forgets a table or an index fails here."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from aiplus.core.db import Database
from aiplus.platform import migrate
from aiplus.platform.registry import AppRegistry


def _tables(db: Database) -> set[str]:
    with db.engine.connect() as connection:
        return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _downgrade_to_base(db: Database, locations: list[Path]) -> None:
    config = migrate.alembic_config(locations)
    with db.write_engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        connection.commit()


def test_every_chain_downgrades_to_nothing_and_upgrades_again(database_url: str) -> None:
    """``database_url`` is a copy of the suite's freshly migrated template."""
    locations = AppRegistry.discover().migration_locations()
    db = Database(database_url)
    try:
        created = _tables(db)
        assert {"registry_models", "impact_assessments", "data_datasets", "gateway_keys"} <= created
        _downgrade_to_base(db, locations)
        assert _tables(db) == set()
        migrate.upgrade(db, locations)
        assert _tables(db) == created and migrate.pending(db, locations) == set()
    finally:
        db.dispose()

