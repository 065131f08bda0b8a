"""Catalogue facet postings: one row per dataset and category, tag or format.

``package_search`` counts the category, tag and format facets from this one table (see
``data/catalog/facets.py``). Existing datasets get their rows from the link tables here, with
the keys the catalogue writes: ``g`` + category id, ``t`` + tag name, ``f`` + upper-case format.

Revision ID: 0004_catalog_facets
Revises: 0003_catalog_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_catalog_facets"
down_revision = "0003_catalog_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_dataset_facets",
        sa.Column("dataset_id", sa.String(36), nullable=False),
        sa.Column("key", sa.String(101), nullable=False),
        sa.ForeignKeyConstraint(["dataset_id"], ["data_datasets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("dataset_id", "key"),
    )
    op.execute("INSERT INTO data_dataset_facets (dataset_id, key) "
               "SELECT dataset_id, 'g' || group_id FROM data_dataset_groups")
    op.execute("INSERT INTO data_dataset_facets (dataset_id, key) "
               "SELECT l.dataset_id, 't' || t.name FROM data_dataset_tags l "
               "JOIN data_tags t ON t.id = l.tag_id")
    op.execute("INSERT INTO data_dataset_facets (dataset_id, key) "
               "SELECT DISTINCT dataset_id, 'f' || upper(trim(format)) FROM data_resources "
               "WHERE trim(format) <> ''")


def downgrade() -> None:
    op.drop_table("data_dataset_facets")
