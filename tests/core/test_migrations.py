from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from aiplus.core.db import Base
from aiplus.platform.migrate import pending


def test_migrations_match_the_models(platform):
    """The hand-written migrations create exactly the tables the ORM declares."""
    import aiplus.compute.jobs  # noqa: F401  (registers the job tables)
    import aiplus.core.audit  # noqa: F401
    import aiplus.core.identity  # noqa: F401
    import aiplus.data.catalog.tables  # noqa: F401
    import aiplus.data.spatial.tables  # noqa: F401

    def declared(name, kind, parents):  # the search index is dialect-specific SQL
        return not (kind == "table" and str(name).startswith("data_search_fts")
                    or kind == "index" and name == "data_search_documents_tsv"
                    or kind == "column" and name == "tsv")

    with platform.db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": declared})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_schema_is_current_and_migrating_again_is_harmless(platform):
    assert pending(platform.db) == set()
    platform.migrate()
    assert pending(platform.db) == set()


def test_readiness_reports_a_database_that_is_not_migrated(tmp_path, client):
    assert client.get("/readyz").json()["status"] == "ready"
    from aiplus.core.settings import Settings
    from aiplus.platform.app import create_app
    from fastapi.testclient import TestClient

    fresh = Settings(home=tmp_path / "fresh", secret_key="x" * 32)
    with TestClient(create_app(fresh)) as other:
        response = other.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"].startswith("pending")
