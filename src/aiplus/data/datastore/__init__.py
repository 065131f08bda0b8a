"""DataStore: uploaded CSV/XLSX/JSON/GeoJSON turned into queryable tables (CKAN-compatible).

Plain Python, no web framework: the CKAN action layer calls it.

* :func:`open_datastore` (``store.py``): DuckDB under the platform home, or PostgreSQL.
* ``DataStore.ingest`` / ``load`` / ``delete`` / ``info`` / ``exists`` / ``resource_ids``.
* ``DataStore.search`` (``search.py``): ``datastore_search``.
* ``DataStore.search_sql`` (``sql.py``): ``datastore_search_sql`` in a read-only sandbox.
* ``export.py``: CSV, TSV, JSON and Parquet downloads.
* ``names.py``: resource ids, their table names and quoted identifiers.
* ``errors.py``: the errors, all :class:`aiplus.core.errors.AiplusError`.
"""

from aiplus.data.datastore.errors import (
    DataStoreError,
    DataStoreNotFound,
    DataStoreSqlError,
    DataStoreSqlForbidden,
    DataStoreTimeout,
    DataStoreValidationError,
    IngestError,
    IngestTooLarge,
)
from aiplus.data.datastore.export import export, export_bytes, export_parquet
from aiplus.data.datastore.ingest import Column, ParsedTable, parse
from aiplus.data.datastore.search import datastore_search
from aiplus.data.datastore.sql import datastore_search_sql
from aiplus.data.datastore.store import DataStore, DuckDBStore, PostgresStore, open_datastore

__all__ = [
    "Column", "DataStore", "DataStoreError", "DataStoreNotFound", "DataStoreSqlError",
    "DataStoreSqlForbidden", "DataStoreTimeout", "DataStoreValidationError", "DuckDBStore",
    "IngestError", "IngestTooLarge", "ParsedTable", "PostgresStore", "datastore_search",
    "datastore_search_sql", "export", "export_bytes", "export_parquet", "open_datastore", "parse",
]
