"""``datastore_search_sql``: one read-only SELECT over resource tables, in a sandbox.

The SQL (PostgreSQL syntax, as CKAN accepts) is parsed with sqlglot and refused unless:

* it is exactly one statement, a SELECT (``WITH ... SELECT`` and UNION/INTERSECT/EXCEPT of
  SELECTs allowed; no ``SELECT ... INTO``, no ``FOR UPDATE``, no parameters);
* every table is a resource id (``SELECT * FROM "<resource id>"``) that has a DataStore table,
  or a name from the statement's top-level ``WITH`` defined before its use; schema-qualified
  names, system catalogs and table functions (``read_csv``, ``generate_series``...) are refused;
* every function is on an allow-list of pure functions (aggregates, window, string, maths,
  date); anything that can read files, reach the network, look at the server or change a
  setting is not on it; casts only to plain data types.

The vetted statement is regenerated from the syntax tree (comments dropped) for the store's own
SQL dialect with each resource id mapped to its real table, capped at ``row_cap`` rows (the
result says ``records_truncated``), and run in a read-only transaction with a timeout
(PostgreSQL ``statement_timeout``; DuckDB interrupts the query). Refusals raise
:class:`DataStoreSqlForbidden` (403); SQL that does not parse or fails, :class:`DataStoreSqlError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, SqlglotError
from sqlglot.tokens import TokenType

from aiplus.core.identifiers import canonical_uuid
from aiplus.data.datastore.errors import DataStoreSqlError, DataStoreSqlForbidden
from aiplus.data.datastore.names import table_name
from aiplus.data.datastore.search import jsonable

if TYPE_CHECKING:
    from aiplus.data.datastore.store import DataStore

MAX_SQL_LENGTH = 20000
# Each table reference multiplies the work a join can do (a 25-way self cross join of a
# two-row table is 33.5 million rows); real analyses name a handful.
MAX_TABLE_REFERENCES = 8
Readable = Callable[[str], bool]
WITH_KEY = "with_" if "with_" in exp.Select.arg_types else "with"  # renamed in sqlglot 28

# sqlglot expression classes that are pure functions (names as sqlglot spells them).
ALLOWED_FUNCTIONS = frozenset({
    # aggregates
    "Count", "Sum", "Avg", "Min", "Max", "Stddev", "StddevPop", "StddevSamp", "Variance",
    "VariancePop", "Median", "PercentileCont", "PercentileDisc", "ArrayAgg", "GroupConcat",
    "LogicalAnd", "LogicalOr", "Corr", "CovarPop", "CovarSamp", "ApproxDistinct", "AnyValue",
    "CountIf", "ArgMax", "ArgMin", "Quantile", "First", "Last",
    # window
    "RowNumber", "Rank", "DenseRank", "PercentRank", "CumeDist", "Ntile", "Lag", "Lead",
    "FirstValue", "LastValue", "NthValue",
    # conditionals and casts
    "Cast", "TryCast", "Case", "Exists", "Array", "If", "Coalesce", "Nullif", "Greatest", "Least",
    # strings
    "Lower", "Upper", "Length", "Substring", "Trim", "Replace", "Concat", "ConcatWs",
    "StrPosition", "SplitPart", "Left", "Right", "Initcap", "Reverse", "MD5", "RegexpLike",
    "RegexpReplace", "RegexpExtract", "StartsWith", "Contains", "Chr", "Ascii", "Unicode",
    "ArrayToString", "Lpad", "Rpad", "BitLength", "Translate",
    # maths
    "Abs", "Round", "Ceil", "Floor", "Sqrt", "Pow", "Ln", "Log", "Exp", "Sign", "Mod",
    "Div", "Trunc", "Rand", "Cbrt", "Degrees", "Radians", "Pi", "SafeDivide", "IntDiv",
    # dates and times
    "CurrentDate", "CurrentTimestamp", "CurrentTime", "Extract", "TimestampTrunc", "DateTrunc",
    "TimeToStr", "StrToDate", "StrToTime", "Date", "DateDiff", "DateAdd", "DateSub",
    "TsOrDsToDate", "UnixToTime", "TimeToUnix", "Year", "Month", "Day", "DayOfWeek",
    "DayOfYear", "DayOfMonth", "WeekOfYear", "Quarter", "Hour", "Minute", "Second",
    "ToChar", "Unnest",
})
# names sqlglot does not know as functions (parsed as Anonymous), in lower case
ALLOWED_ANONYMOUS = frozenset({
    "strpos", "char_length", "character_length", "octet_length", "btrim", "ltrim", "rtrim",
    "date_part", "to_char", "to_date", "to_timestamp", "trunc", "sign", "div", "cbrt", "pi",
    "initcap", "mode", "ceiling", "log10", "log2", "age", "starts_with", "width_bucket",
    "string_agg", "strftime", "strptime", "epoch", "dayname", "monthname", "year", "month",
    "day", "hour", "minute", "second", "week", "quarter", "dayofweek", "dayofyear", "isodow",
    "regexp_matches", "nullif", "every", "bool_and", "bool_or", "var_samp", "var_pop",
    "stddev_samp", "stddev_pop", "regr_slope", "regr_intercept", "date_diff", "datediff",
    "concat_ws", "format", "lpad", "rpad", "justify_days", "isfinite", "make_date",
})
ALLOWED_TYPES = frozenset({
    exp.DataType.Type.BIGINT, exp.DataType.Type.INT, exp.DataType.Type.SMALLINT,
    exp.DataType.Type.TINYINT, exp.DataType.Type.DECIMAL, exp.DataType.Type.DOUBLE,
    exp.DataType.Type.FLOAT, exp.DataType.Type.TEXT, exp.DataType.Type.VARCHAR,
    exp.DataType.Type.CHAR, exp.DataType.Type.NCHAR, exp.DataType.Type.NVARCHAR,
    exp.DataType.Type.DATE, exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPTZ,
    exp.DataType.Type.TIME, exp.DataType.Type.BOOLEAN, exp.DataType.Type.INTERVAL,
})
# operators sqlglot also models as functions (AND, OR, ^, @>, ~...): pure, allowed
OPERATORS = (exp.Connector, exp.Binary, exp.Unary, exp.Predicate)
# statement-level and clause nodes that never belong in a read-only query
FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = tuple(
    getattr(exp, name) for name in (
        "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "Command", "Copy",
        "Set", "Pragma", "Attach", "Detach", "Transaction", "Commit", "Rollback", "Use",
        "Into", "Lock", "Placeholder", "Parameter", "Describe", "Summarize", "Kill",
        "LoadData", "Grant", "Revoke", "TruncateTable", "Analyze", "Install", "Export",
        "Cache", "Uncache", "Refresh", "SessionParameter", "Pivot",
    ) if hasattr(exp, name)
)


def _forbid(message: str) -> DataStoreSqlForbidden:
    return DataStoreSqlForbidden(message, field="sql")


def _parse_one(sql: str) -> exp.Expression:
    if not isinstance(sql, str) or not sql.strip():
        raise DataStoreSqlError("sql is required: one SELECT statement.", field="sql")
    if len(sql) > MAX_SQL_LENGTH:
        raise DataStoreSqlError(f"The SQL is longer than {MAX_SQL_LENGTH} characters.", field="sql")
    if "\x00" in sql:
        raise DataStoreSqlError("The SQL contains a NUL character.", field="sql")
    try:
        statements = sqlglot.parse(sql, read="postgres", error_level=ErrorLevel.RAISE)
    except (ParseError, SqlglotError) as exc:
        _refuse_non_select(sql)
        first = str(exc).splitlines()[0][:300]
        raise DataStoreSqlError(f"The SQL could not be parsed: {first}", field="sql") from None
    except RecursionError:
        raise DataStoreSqlError("The SQL is nested too deeply.", field="sql") from None
    real = [s for s in statements if s is not None and not isinstance(s, exp.Semicolon)]
    if len(real) != 1:
        raise _forbid(f"Send exactly one SELECT statement (found {len(real)}).")
    return real[0]


def _refuse_non_select(sql: str) -> None:
    """SQL sqlglot cannot parse but that plainly is not a query (ATTACH, VACUUM...): 403."""
    try:
        tokens = sqlglot.tokenize(sql, read="postgres")
    except SqlglotError:
        return
    first = next((t for t in tokens if t.token_type != TokenType.L_PAREN), None)
    if first is not None and first.token_type not in (TokenType.SELECT, TokenType.WITH,
                                                       TokenType.VALUES):
        raise _forbid(f"Only SELECT statements are allowed (this is {first.text[:20].upper()}).")


class _Resources:
    """The resource tables a statement names, each resolved once and authorised for the caller.

    A name becomes a table only through :func:`canonical_uuid`, the parser every access check
    uses, and only if ``readable`` says the caller may read that resource: the sandbox never
    sees a table its caller may not read, however the id is spelt.
    """

    def __init__(self, store: DataStore, readable: Readable) -> None:
        self.store = store
        self.readable = readable
        self.found: dict[str, bool] = {}
        self.references = 0

    def lookup(self, name: str) -> str | None:
        rid = canonical_uuid(name)
        if rid is None:
            return None
        self.references += 1
        if self.references > MAX_TABLE_REFERENCES:
            raise _forbid(f"A query may name at most {MAX_TABLE_REFERENCES} tables.")
        if rid not in self.found:
            self.found[rid] = self.readable(rid) and self.store.exists(rid)
        return rid if self.found[rid] else None


def _store_alone(resource_id: str) -> bool:
    """Without a catalogue (benchmarks, the store's own tests) every table is readable."""
    return True


def vet(sql: str, store: DataStore, row_cap: int, readable: Readable = _store_alone) -> str:
    """The statement to run, regenerated for the store's dialect; raises if refused."""
    tree = _parse_one(sql)
    if not isinstance(tree, (exp.Select, exp.Union, exp.Intersect, exp.Except)):
        raise _forbid(
            f"Only SELECT statements are allowed (this is {type(tree).__name__.upper()})."
        )
    for node in tree.walk():
        if isinstance(node, FORBIDDEN_NODES):
            raise _forbid(f"{type(node).__name__.upper()} is not allowed in a read-only query.")
        if isinstance(node, exp.With) and node is not tree.args.get(WITH_KEY):
            raise _forbid("WITH is only allowed at the start of the statement.")
        if isinstance(node, exp.With) and node.args.get("recursive"):
            raise _forbid("WITH RECURSIVE is not allowed.")
        if isinstance(node, exp.Anonymous):
            if node.name.lower() not in ALLOWED_ANONYMOUS:
                raise _forbid(f"The function {node.name[:60]}() is not allowed.")
        elif (isinstance(node, exp.Func) and type(node).__name__ not in ALLOWED_FUNCTIONS
              and not isinstance(node, OPERATORS)):
            name = node.sql_name() if hasattr(node, "sql_name") else type(node).__name__
            raise _forbid(f"The function {name}() is not allowed.")
        if isinstance(node, exp.DataType) and node.this not in ALLOWED_TYPES:
            raise _forbid(f"Casting to {node.sql('postgres')[:40]} is not allowed.")
        if isinstance(node, exp.Column) and (node.args.get("db") or node.args.get("catalog")):
            raise _forbid("Qualified column names with a schema are not allowed.")
    known = _Resources(store, readable)
    with_node = tree.args.get(WITH_KEY)
    ctes = list(with_node.expressions) if with_node else []
    defined: list[str] = []
    for cte in ctes:
        _rewrite_tables(cte.this, store, known, set(defined))
        defined.append(cte.alias_or_name)
    body = tree.copy()
    body.set(WITH_KEY, None)
    rewritten_body = _rewrite_tables(body, store, known, set(defined))
    if with_node:
        rewritten_body.set(WITH_KEY, with_node)
    final = _cap(rewritten_body, row_cap)
    try:
        return final.sql(
            dialect=store.sql_dialect, comments=False, unsupported_level=ErrorLevel.RAISE
        )
    except SqlglotError as exc:
        raise DataStoreSqlError(
            f"The SQL uses something this DataStore cannot run: {str(exc)[:200]}", field="sql"
        ) from None


def _rewrite_tables(
    node: exp.Expression, store: DataStore, known: _Resources, ctes: set[str]
) -> exp.Expression:
    for table in list(node.find_all(exp.Table)):
        if not isinstance(table.this, exp.Identifier):
            raise _forbid("Table functions are not allowed; select FROM \"<resource id>\".")
        if table.args.get("db") or table.args.get("catalog"):
            raise _forbid(
                f"Schema-qualified tables ({table.sql('postgres')[:60]}) are not allowed; "
                "select FROM \"<resource id>\"."
            )
        name = table.name
        if name in ctes:
            continue
        rid = known.lookup(name)
        if rid is None:
            raise _forbid(
                f"{name[:80]!r} is not a DataStore resource; select FROM \"<resource id>\"."
            )
        alias = table.alias or name
        real = table_name(rid)
        table.set("this", exp.to_identifier(real, quoted=True))
        if store.backend == "postgresql":
            table.set("db", exp.to_identifier("datastore", quoted=True))
        table.set("alias", exp.TableAlias(
            this=exp.to_identifier(alias, quoted=True),
            columns=(table.args.get("alias").args.get("columns") if table.args.get("alias")
                     else None),
        ))
    return node


def _cap(tree: exp.Expression, row_cap: int) -> exp.Expression:
    """Limit to row_cap + 1 rows (one extra tells us the result was truncated)."""
    cap = row_cap + 1
    limit = tree.args.get("limit")
    if tree.args.get("fetch") is not None:  # FETCH FIRST n ROWS: cap around it
        return exp.select("*").from_(tree.subquery("_capped")).limit(cap)
    if limit is None:
        tree.set("limit", exp.Limit(expression=exp.Literal.number(cap)))
        return tree
    value = limit.args.get("expression")
    if isinstance(value, exp.Literal) and value.is_int:
        if int(value.this) > cap:
            limit.set("expression", exp.Literal.number(cap))
        return tree
    wrapped = exp.select("*").from_(tree.subquery("_capped"))
    return wrapped.limit(cap)


def datastore_search_sql(
    store: DataStore, sql: str, *, row_cap: int | None = None, timeout_s: float | None = None,
    readable: Readable = _store_alone,
) -> dict[str, Any]:
    """Run one vetted SELECT: ``{"sql", "fields": [{"id","type"}], "records",
    "records_truncated"}``. ``readable(resource_id)`` decides, for each table the statement
    names (canonical id), whether the caller may read it: False makes it an unknown table, and
    it may raise (Forbidden) to refuse the whole statement. The row cap and timeout can only be
    lowered below the store's, never raised."""
    cap = store.sql_row_cap if row_cap is None else max(1, min(int(row_cap), store.sql_row_cap))
    timeout = (store.sql_timeout_s if timeout_s is None
               else max(0.001, min(float(timeout_s), store.sql_timeout_s)))
    statement = vet(sql, store, cap, readable)
    description, rows = store.run_sandboxed(statement, timeout)
    truncated = len(rows) > cap
    names = [name for name, _ in description]
    records = [dict(zip(names, map(jsonable, row), strict=True)) for row in rows[:cap]]
    return {
        "sql": sql, "fields": [{"id": name, "type": kind} for name, kind in description],
        "records": records, "records_truncated": truncated,
    }
