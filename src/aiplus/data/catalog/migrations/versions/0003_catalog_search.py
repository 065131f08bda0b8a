"""Catalogue search: narrow covering indexes for package_search at 100,000 datasets.

``package_search`` counts the visible datasets, pages them and computes facets over the same
set. Answered from ``data_datasets`` itself every step reads wide rows (descriptions, GBA
records, extras) only to test ``state`` and ``private``; these indexes hold just the columns
the search reads, so counting, filtering by organisation and the organisation and licence
facets are answered from the index alone, and the format facet never touches resource rows.

* ``ix_data_datasets_search``: visible datasets by organisation (equality prefix ``state``,
  ``private``, ``org_id``), newest first within one, carrying the licence and id.
* ``ix_data_datasets_search_id``: the same columns by id, for joining the free-text matches.
* ``ix_data_resources_dataset_format``: formats of a dataset's resources.

Revision ID: 0003_catalog_search
Revises: 0002_catalog
"""

from alembic import op

revision = "0003_catalog_search"
down_revision = "0002_catalog"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_data_datasets_search", "data_datasets",
                    ["state", "private", "org_id", "modified_at", "licence_id", "id"])
    op.create_index("ix_data_datasets_search_id", "data_datasets",
                    ["id", "state", "private", "org_id", "licence_id"])
    op.create_index("ix_data_resources_dataset_format", "data_resources",
                    ["dataset_id", "format"])


def downgrade() -> None:
    op.drop_index("ix_data_resources_dataset_format", "data_resources")
    op.drop_index("ix_data_datasets_search_id", "data_datasets")
    op.drop_index("ix_data_datasets_search", "data_datasets")
