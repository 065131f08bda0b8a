"""The dataset page's bar chart labels each bar so that bars can be told apart, in the page's
language (issue 27: the 1823 chart had ten bars all labelled "2024-11")."""

from aiplus.apps.opendata.preview import chart

FIELDS = [{"id": "_id", "type": "int"}, {"id": "month", "type": "text"},
          {"id": "category_en", "type": "text"}, {"id": "category_zh", "type": "text"},
          {"id": "cases", "type": "int"}]
ROWS = [{"month": "2024-11", "category_en": en, "category_zh": zh, "cases": n}
        for en, zh, n in (("Hygiene", "衞生", 9), ("Roads", "道路", 5), ("Trees", "樹木", 2))]


def test_bars_are_labelled_by_the_column_that_tells_rows_apart_in_each_language():
    english, chinese = chart(FIELDS, ROWS, "en"), chart(FIELDS, ROWS, "zh-Hant")
    assert [b["label"] for b in english["bars"]] == ["Hygiene", "Roads", "Trees"]
    assert [b["label"] for b in chinese["bars"]] == ["衞生", "道路", "樹木"]
    assert english["value_field"] == "cases" and english["bars"][0]["width"] == 100.0


def test_columns_are_combined_when_none_alone_is_distinct():
    rows = [{"month": m, "category_en": c, "category_zh": c, "cases": 1}
            for m in ("2024-11", "2024-12") for c in ("Hygiene", "Roads")]
    labels = [b["label"] for b in chart(FIELDS, rows, "en")["bars"]]
    assert len(set(labels)) == 4 and labels[0] == "2024-11 · Hygiene"


def test_a_table_without_text_is_numbered():
    fields = [{"id": "_id", "type": "int"}, {"id": "cases", "type": "int"}]
    assert [b["label"] for b in chart(fields, [{"cases": 3}, {"cases": 4}])["bars"]] == ["1", "2"]
