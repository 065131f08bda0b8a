"""Traffic forecasting: observations (monthly partitions on PostgreSQL), quarantine, ingestion
runs and served forecasts.

Revision ID: 0700_traffic
Revises: 0001_core

On PostgreSQL ``traffic_observations`` is declared ``PARTITION BY RANGE (observed_at)``; the
monthly partitions live in their own schema (``traffic_partitions``) and are created on demand
by the ingestion code, with a default partition so no row is ever refused for lack of one.
"""

import sqlalchemy as sa
from alembic import op


revision = "0700_traffic"
down_revision = "0001_core"
branch_labels = ("traffic",)
depends_on = None

PARTITION_SCHEMA = "traffic_partitions"


def _observations() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE traffic_observations ("
            " source VARCHAR(20) NOT NULL, series VARCHAR(120) NOT NULL,"
            " observed_at TIMESTAMP WITH TIME ZONE NOT NULL, value FLOAT NOT NULL,"
            " ingested_at TIMESTAMP WITH TIME ZONE NOT NULL,"
            " CONSTRAINT pk_traffic_observations PRIMARY KEY (source, series, observed_at)"
            ") PARTITION BY RANGE (observed_at)")
        op.execute(f"CREATE SCHEMA IF NOT EXISTS {PARTITION_SCHEMA}")
        op.execute(f"CREATE TABLE {PARTITION_SCHEMA}.traffic_observations_default "
                   "PARTITION OF traffic_observations DEFAULT")
        return
    op.create_table(
        "traffic_observations",
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("series", sa.String(120), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", "series", "observed_at",
                                name="pk_traffic_observations"),
    )


def upgrade() -> None:
    _observations()
    op.create_table(
        "traffic_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_traffic_quarantine"),
    )
    op.create_index("ix_traffic_quarantine_run_id", "traffic_quarantine", ["run_id"])
    op.create_table(
        "traffic_ingest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("location", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("placeholders", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("gaps", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_traffic_ingest_runs"),
    )
    op.create_index("ix_traffic_ingest_runs_source", "traffic_ingest_runs", ["source"])
    op.create_table(
        "traffic_forecasts",
        sa.Column("route", sa.String(60), nullable=False),
        sa.Column("origin_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("horizon_min", sa.Integer(), nullable=False),
        sa.Column("predicted", sa.Double(), nullable=False),
        sa.Column("lower", sa.Double(), nullable=False),
        sa.Column("upper", sa.Double(), nullable=False),
        sa.Column("model", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("route", "origin_time", "horizon_min",
                                name="pk_traffic_forecasts"),
    )


def downgrade() -> None:
    for table in ("traffic_forecasts", "traffic_ingest_runs", "traffic_quarantine",
                  "traffic_observations"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP SCHEMA IF EXISTS {PARTITION_SCHEMA} CASCADE")
