"""Open data catalogue: datasets, resources, groups, tags, history, archive, search index.

Seeds DATA.GOV.HK's 19 categories as groups.

Revision ID: 0002_catalog
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

import uuid
from datetime import UTC, datetime

# DATA.GOV.HK's categories as they stood when this revision was written (frozen: a migration never
# reads live code, so it creates the same rows whatever the catalogue code later becomes).
CATEGORIES = (
    ('city-management', 'City Management', '城市管理'),
    ('climate-and-weather', 'Climate and Weather', '氣候及天氣'),
    ('commerce-and-industry', 'Commerce and Industry', '工商業'),
    ('development', 'Development', '發展'),
    ('education', 'Education', '教育'),
    ('employment-and-labour', 'Employment and Labour', '就業及勞工'),
    ('environment', 'Environment', '環境'),
    ('finance', 'Finance', '財經'),
    ('food', 'Food', '食物'),
    ('health', 'Health', '衞生'),
    ('housing', 'Housing', '房屋'),
    ('information-technology-and-broadcasting', 'Information Technology and Broadcasting', '資訊科技及廣播'),
    ('law-and-security', 'Law and Security', '法律及保安'),
    ('legislature', 'Legislature', '立法'),
    ('miscellaneous', 'Miscellaneous', '其他'),
    ('population', 'Population', '人口'),
    ('recreation-and-culture', 'Recreation and Culture', '康樂及文化'),
    ('social-welfare', 'Social Welfare', '社會福利'),
    ('transport', 'Transport', '運輸'),
)


def group_id(name: str) -> str:
    """The category's id, the same on every installation."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"aiplus:group:{name}"))


revision = "0002_catalog"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_data_tags"),
        sa.UniqueConstraint("name", name="uq_data_tags_name"),
    )
    groups = op.create_table(
        "data_groups",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("title_en", sa.String(200), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_data_groups"),
        sa.UniqueConstraint("name", name="uq_data_groups_name"),
    )
    op.bulk_insert(groups, [
        {"id": group_id(name), "name": name, "title_en": en, "title_zh": zh,
         "description_en": "", "description_zh": "", "created_at": datetime.now(UTC)}
        for name, en, zh in CATEGORIES
    ])
    op.create_table(
        "data_datasets",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("title_zh", sa.String(300), nullable=False),
        sa.Column("notes_en", sa.Text(), nullable=False),
        sa.Column("notes_zh", sa.Text(), nullable=False),
        sa.Column("licence_id", sa.String(50), nullable=False),
        sa.Column("update_frequency", sa.String(20), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("classification", sa.String(12), nullable=False),
        sa.Column("personal_data", sa.Boolean(), nullable=False),
        sa.Column("cross_boundary_gba", sa.Boolean(), nullable=False),
        sa.Column("gba_record", sa.JSON(), nullable=True),
        sa.Column("provenance", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("author_email", sa.String(200), nullable=False),
        sa.Column("maintainer", sa.String(200), nullable=False),
        sa.Column("maintainer_email", sa.String(200), nullable=False),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("spatial", sa.Text(), nullable=True),
        sa.Column("extras", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("creator", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"],
                                name="fk_data_datasets_org_id_organisations"),
        sa.PrimaryKeyConstraint("id", name="pk_data_datasets"),
        sa.UniqueConstraint("name", name="uq_data_datasets_name"),
    )
    op.create_index("ix_data_datasets_org_id", "data_datasets", ["org_id"])
    op.create_index("ix_data_datasets_modified_at", "data_datasets", ["modified_at"])
    for name, other in (("data_dataset_tags", ("tag_id", "data_tags")),
                        ("data_dataset_groups", ("group_id", "data_groups"))):
        column, table = other
        op.create_table(
            name,
            sa.Column("dataset_id", sa.String(36), nullable=False),
            sa.Column(column, sa.Integer() if table == "data_tags" else sa.String(36),
                      nullable=False),
            sa.ForeignKeyConstraint(["dataset_id"], ["data_datasets.id"], ondelete="CASCADE",
                                    name=f"fk_{name}_dataset_id_data_datasets"),
            sa.ForeignKeyConstraint([column], [f"{table}.id"], ondelete="CASCADE",
                                    name=f"fk_{name}_{column}_{table}"),
            sa.PrimaryKeyConstraint("dataset_id", column, name=f"pk_{name}"),
        )
    op.create_table(
        "data_resources",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("dataset_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_en", sa.String(300), nullable=False),
        sa.Column("name_zh", sa.String(300), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("format", sa.String(30), nullable=False),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("url_type", sa.String(20), nullable=True),
        sa.Column("mimetype", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("file_key", sa.String(500), nullable=True),
        sa.Column("datastore_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["dataset_id"], ["data_datasets.id"], ondelete="CASCADE",
                                name="fk_data_resources_dataset_id_data_datasets"),
        sa.PrimaryKeyConstraint("id", name="pk_data_resources"),
    )
    op.create_index("ix_data_resources_dataset_id", "data_resources", ["dataset_id"])
    op.create_table(
        "data_dataset_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_data_dataset_revisions"),
        sa.UniqueConstraint("dataset_id", "revision", name="uq_data_dataset_revisions_dataset_id"),
    )
    op.create_index("ix_data_dataset_revisions_dataset_id", "data_dataset_revisions",
                    ["dataset_id"])
    op.create_table(
        "data_resource_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.String(36), nullable=False),
        sa.Column("dataset_id", sa.String(36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_key", sa.String(500), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(30), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_data_resource_versions"),
    )
    op.create_index("ix_data_resource_versions_resource_id", "data_resource_versions",
                    ["resource_id"])
    op.create_index("ix_data_resource_versions_dataset_id", "data_resource_versions",
                    ["dataset_id"])
    op.create_index("ix_data_resource_versions_at", "data_resource_versions", ["at"])
    op.create_table(
        "data_search_documents",
        sa.Column("dataset_id", sa.String(36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["dataset_id"], ["data_datasets.id"], ondelete="CASCADE",
                                name="fk_data_search_documents_dataset_id_data_datasets"),
        sa.PrimaryKeyConstraint("dataset_id", name="pk_data_search_documents"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE data_search_documents ADD COLUMN tsv tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED")
        op.execute("CREATE INDEX data_search_documents_tsv ON data_search_documents USING gin (tsv)")
    else:
        op.execute("CREATE VIRTUAL TABLE data_search_fts USING fts5("
                   "dataset_id UNINDEXED, body, tokenize = 'unicode61')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS data_search_fts")
    for table in ("data_search_documents", "data_resource_versions", "data_dataset_revisions",
                  "data_resources", "data_dataset_groups", "data_dataset_tags", "data_datasets",
                  "data_groups", "data_tags"):
        op.drop_table(table)
