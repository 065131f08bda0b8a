"""datastore_search_sql: allowed SELECTs, refused statements, the row cap and the timeout."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aiplus.data.datastore import (
    DataStore,
    DataStoreSqlError,
    DataStoreSqlForbidden,
    DataStoreTimeout,
)


def test_allowed_selects(store: DataStore, people: str) -> None:
    result = store.search_sql(
        f'SELECT district, count(*) AS n, round(avg(score)::numeric, 1) AS mean '
        f'FROM "{people}" GROUP BY district ORDER BY n DESC, district'
    )
    assert result["records"][0] == {"district": "Central", "n": 2, "mean": 76.0}
    assert result["fields"][:2] == [{"id": "district", "type": "text"},
                                    {"id": "n", "type": "int"}]
    assert result["records_truncated"] is False and result["sql"].startswith("SELECT district")
    with_cte = store.search_sql(
        f'WITH older AS (SELECT * FROM "{people}" WHERE age > 40) '
        f'SELECT o.name, upper(o.district) AS d FROM older o ORDER BY o.name'
    )
    assert with_cte["records"] == [{"name": "Ho Wing", "d": "CENTRAL"},
                                   {"name": "Wong Ka Yan", "d": "WAN CHAI"}]
    joined = store.search_sql(
        f'SELECT a.name FROM "{people}" a JOIN "{people}" b ON a._id = b._id '
        f'WHERE a.joined >= DATE \'2024-03-01\' AND "{people}_x".x IS NULL '.replace(
            f' AND "{people}_x".x IS NULL ', " ")
        + "UNION SELECT 'extra' ORDER BY 1"
    )
    assert [r["name"] for r in joined["records"]] == ["Cheung Mei", "Ho Wing", "extra"]
    qualified = store.search_sql(
        f'SELECT "{people}".name FROM "{people}" WHERE "{people}"._id = 1 '
        f"AND name ILIKE '%tai%' AND coalesce(note, '') <> '' /* a comment */"
    )
    assert qualified["records"] == [{"name": "Chan Tai Man"}]
    window = store.search_sql(
        f'SELECT name, row_number() OVER (PARTITION BY district ORDER BY age) AS r, '
        f"extract(year FROM joined) AS y, date_trunc('month', seen_at) AS m "
        f'FROM "{people}" WHERE district = \'Central\' ORDER BY r'
    )
    assert window["records"][0] == {"name": "Lee Siu Ming", "r": 1, "y": 2023,
                                    "m": "2024-01-01T00:00:00"}


REFUSED = [
    'DROP TABLE "{rid}"',
    'INSERT INTO "{rid}" (name) VALUES (\'x\')',
    'UPDATE "{rid}" SET name = \'x\'',
    'DELETE FROM "{rid}"',
    'CREATE TABLE x AS SELECT * FROM "{rid}"',
    'SELECT * INTO newtable FROM "{rid}"',
    'SELECT 1; DROP TABLE "{rid}"',
    'SELECT 1; -- harmless?\nDROP TABLE "{rid}"',
    'SELECT 1 /* */; DELETE FROM "{rid}"',
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT * FROM pg_ls_dir('.')",
    "SELECT lo_import('/etc/passwd')",
    "SELECT current_setting('data_directory')",
    "SELECT set_config('statement_timeout', '0', false)",
    "SELECT query_to_xml('select 1', true, true, '')",
    "SELECT pg_sleep(10)",
    "SELECT * FROM pg_catalog.pg_tables",
    "SELECT * FROM pg_shadow",
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM duckdb_tables()",
    "SELECT * FROM sqlite_master",
    "SELECT * FROM datastore_meta",
    'SELECT * FROM datastore."_meta"',
    "SELECT * FROM users",
    'SELECT * FROM "00000000-0000-0000-0000-000000000000"',
    "SELECT * FROM generate_series(1, 10)",
    'SELECT * FROM "{rid}" FOR UPDATE',
    "COPY (SELECT 1) TO '/tmp/x.csv'",
    "ATTACH '/tmp/x.db' AS x",
    "PRAGMA database_list",
    "SET statement_timeout = 0",
    "EXPLAIN SELECT 1",
    "INSTALL httpfs",
    "VACUUM",
    'WITH x AS (DELETE FROM "{rid}" RETURNING *) SELECT * FROM x',
    "WITH a AS (SELECT * FROM pg_authid), pg_authid AS (SELECT 1) SELECT * FROM a",
    'SELECT * FROM (WITH pg_shadow AS (SELECT 1) SELECT * FROM pg_shadow) s',
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r",
    "SELECT 'pg_authid'::regclass",
    "SELECT $1",
    'SELECT * FROM "{rid}", LATERAL (SELECT * FROM pg_stat_activity) x',
]


def test_refused_statements(store: DataStore, people: str) -> None:
    """One store for all cases (a database per case is slow on PostgreSQL)."""
    allowed = []
    for sql in REFUSED:
        try:
            store.search_sql(sql.replace("{rid}", people))
        except DataStoreSqlForbidden as refused:
            assert refused.status_code == 403 and refused.message and refused.field == "sql"
        else:
            allowed.append(sql)
    assert allowed == []
    assert store.info(people)["total"] == 5


def test_bad_sql_is_a_clear_error(store: DataStore, people: str) -> None:
    for sql in ["", "SELEC 1", "SELECT (", f"SELECT nope FROM \"{'0' * 8}\""]:
        with pytest.raises(DataStoreSqlError) as caught:
            store.search_sql(sql)
        assert caught.value.status_code in (400, 403) and caught.value.message, sql


def test_runtime_errors_name_the_resource_not_the_table(store: DataStore, people: str) -> None:
    with pytest.raises(DataStoreSqlError) as caught:
        store.search_sql(f'SELECT no_such_column FROM "{people}"')
    assert caught.value.status_code == 400 and "res_" not in caught.value.message


def test_row_cap(store: DataStore, people: str) -> None:
    capped = store.search_sql(f'SELECT name FROM "{people}" ORDER BY _id', row_cap=3)
    assert [r["name"] for r in capped["records"]] == ["Chan Tai Man", "Lee Siu Ming",
                                                      "Wong Ka Yan"]
    assert capped["records_truncated"] is True
    small = store.search_sql(f'SELECT name FROM "{people}" LIMIT 2', row_cap=3)
    assert len(small["records"]) == 2 and small["records_truncated"] is False
    big = store.search_sql(f'SELECT name FROM "{people}" LIMIT 1000', row_cap=3)
    assert len(big["records"]) == 3 and big["records_truncated"] is True
    expr = store.search_sql(f'SELECT name FROM "{people}" LIMIT 2 + 2', row_cap=3)
    assert len(expr["records"]) == 3 and expr["records_truncated"] is True
    union = store.search_sql(
        f'SELECT name FROM "{people}" UNION ALL SELECT name FROM "{people}"', row_cap=7)
    assert len(union["records"]) == 7 and union["records_truncated"] is True


def test_timeout(store: DataStore, new_id: Callable[[], str]) -> None:
    rid = new_id()
    store.ingest(rid, ("n\n" + "\n".join(str(i) for i in range(3000))).encode(), "csv")
    with pytest.raises(DataStoreTimeout) as caught:
        store.search_sql(
            f'SELECT sum(a.n * b.n + c.n) FROM "{rid}" a, "{rid}" b, "{rid}" c', timeout_s=0.3
        )
    assert "longer than 0.3 seconds" in caught.value.message
    assert store.search_sql(f'SELECT count(*) AS n FROM "{rid}"')["records"] == [{"n": 3000}]


def test_a_many_way_self_join_is_refused_before_it_runs(store: DataStore, people: str) -> None:
    """The probe's 25-way self cross join (33.5 M rows from a two-row table) never starts."""
    joins = " CROSS JOIN ".join(f'"{people}" t{i}' for i in range(25))
    with pytest.raises(DataStoreSqlForbidden) as caught:
        store.search_sql(f"SELECT count(*) FROM {joins}")
    assert "at most 8 tables" in caught.value.message
    eight = " CROSS JOIN ".join(f'"{people}" t{i}' for i in range(8))
    assert store.search_sql(f"SELECT count(*) AS n FROM {eight} WHERE t0._id = 1 AND "
                            "t1._id = 1 AND t2._id = 1")["records"] == [{"n": 5 ** 5}]


def test_the_caller_cannot_lift_the_row_cap_or_the_timeout(store: DataStore, people: str) -> None:
    store.sql_row_cap, store.sql_timeout_s = 2, 0.5
    lifted = store.search_sql(f'SELECT name FROM "{people}"', row_cap=10_000, timeout_s=3600)
    assert len(lifted["records"]) == 2 and lifted["records_truncated"] is True


def test_a_table_the_caller_may_not_read_is_no_table(store: DataStore, people: str) -> None:
    asked: list[str] = []

    def readable(resource_id: str) -> bool:
        asked.append(resource_id)
        return False

    with pytest.raises(DataStoreSqlForbidden) as caught:
        store.search_sql(f'SELECT * FROM "{people.upper().replace("-", "")}"', readable=readable)
    assert "is not a DataStore resource" in caught.value.message and asked == [people]
