"""Citations that hold: figures compare across number formats and languages, a sentence citing
a passage without its figure is re-cited to the passage that has it or loses its marker, and
a citation that holds is kept — on the real multilingual embedding model."""

from __future__ import annotations

import pytest

from aiplus.apps.copilot import citations
from aiplus.apps.copilot.figures import Figure, figures, missing, names
from aiplus.models import embeddings
from tests.apps.copilot.conftest import POLICY
from tests.apps.copilot.test_library import upload

THRESHOLD, FLOOR = 0.82, 0.78
PASSAGES = [
    "The first phase of the AI Supercomputing Centre was launched in December 2024 with "
    "computing power of around 1 300 petaFLOPS. The Government also launched a three-year "
    "AI Subsidy Scheme of HK$3 billion.",
    "The supply of data centre floor space in Hong Kong is expected to increase to about "
    "1.5 million square metres by the end of 2026.",
    "寶翠公園位置喺新界將軍澳寶康路同寶琳北路交界，佔地4.24公頃，喺1994年7月25日正式開放。",
    "流水響水塘面積約3.5公頃，容量約17萬立方米，石屎主壩高24米。",
]


@pytest.fixture(scope="module")
def vectors():
    return embeddings.encode(PASSAGES, is_query=False)


def check(answer: str, vectors) -> citations.Checked:
    return citations.check(answer, PASSAGES, vectors, THRESHOLD, FLOOR)


@pytest.mark.parametrize(("written", "value", "percent"), [
    ("1,000", 1000, False), ("1000", 1000, False), ("一千", 1000, False),
    ("千萬", 10_000_000, False), ("1千萬", 10_000_000, False), ("HK$3 billion", 3e9, False),
    ("30億元", 3e9, False), ("1 300 petaFLOPS", 1300, False), ("150萬", 1_500_000, False),
    ("一百五十萬", 1_500_000, False), ("USD 39，636，000", 39_636_000, False),
    ("38%", 38, True), ("38 per cent", 38, True), ("百分之三十八", 38, True),
    ("３８％", 38, True),
])
def test_a_figure_has_one_value_whatever_its_format(written, value, percent):
    assert figures(written) == [Figure(float(value), percent)]


def test_dates_compare_across_languages_and_words_are_not_numbers():
    assert {f.value for f in figures("in October 1990")} == \
        {f.value for f in figures("喺1990年10月")}
    assert figures("萬一佢第一次嚟") == []
    assert figures("1. The fee [2] is due") == [Figure(2.0)]  # a list number is no figure
    assert not missing("The scheme gives 38% more.", "It rose by 38 per cent.")
    assert missing("The scheme gives 38% more.", "It rose by 38 points.") == ["38%"]


def test_names_are_acronyms_capitalised_runs_and_quoted_titles():
    found = names("The Digital Policy Office (DPO) runs 「智方便」 in Hong Kong.")
    assert {"DPO", "Digital Policy Office", "智方便", "Hong Kong"} <= set(found)
    assert not missing("HKGAI leads.", "The HKGAI centre leads research.")
    assert missing("HKGAI leads.", "The centre leads research.") == ["HKGAI"]


def test_a_citation_that_holds_is_kept(vectors):
    answer = "Floor space will reach about 1.5 million square metres by the end of 2026 [2]."
    checked = check(answer, vectors)
    assert checked.text == answer
    assert checked.verdicts[0].kept == [2] and checked.verdicts[0].supported


def test_an_english_sentence_citing_a_passage_without_its_figure_is_recited(vectors):
    checked = check("The AI Subsidy Scheme provides HK$3 billion [2]. "
                    "Floor space will reach 1.5 million square metres by 2026 [2].", vectors)
    assert checked.text == ("The AI Subsidy Scheme provides HK$3 billion [1]. "
                            "Floor space will reach 1.5 million square metres by 2026 [2].")
    assert checked.summary()["recited"] == 1


def test_a_chinese_sentence_citing_a_passage_without_its_figure_is_recited(vectors):
    checked = check("寶翠公園佔地4.24公頃[4]。流水響水塘容量約十七萬立方米[3]。", vectors)
    assert checked.text == "寶翠公園佔地4.24公頃[3]。流水響水塘容量約十七萬立方米[4]。"


def test_a_chinese_answer_is_checked_against_english_passages(vectors):
    checked = check("預計到2026年底，數據中心樓面面積將增至約150萬平方米[1]。", vectors)
    assert checked.text.endswith("150萬平方米[2]。")


@pytest.mark.parametrize("answer", [
    "The AI Subsidy Scheme provides HK$5 billion [1].",
    "預計到2026年底，數據中心樓面面積將增至約1.5萬平方米[2]。",
])
def test_a_figure_no_passage_holds_loses_its_marker_and_is_unsupported(vectors, answer):
    checked = check(answer, vectors)
    assert "[" not in checked.text
    assert checked.unsupported() == [answer.replace(" [1]", "").replace("[2]", "")]
    assert checked.summary()["dropped"] == 1


def test_an_uncited_figure_gets_the_passage_that_holds_it(vectors):
    checked = check("寶翠公園佔地4.24公頃。", vectors)
    assert checked.text == "寶翠公園佔地4.24公頃[3]。"


def test_sentences_keep_their_shape_when_markers_change(vectors):
    answer = "1. The scheme gives HK$3 billion [1, 2].\n2. Nothing else is stated here [9]."
    checked = check(answer, vectors)
    assert checked.text.splitlines()[0] == "1. The scheme gives HK$3 billion [1]."
    assert checked.text.splitlines()[1] == "2. Nothing else is stated here."


def test_the_documents_route_recites_what_the_model_cited_wrongly(client, team, echo):
    ids = [upload(client, team.officer, "policy.txt", POLICY.encode()).json()["id"],
           upload(client, team.officer, "learner.txt",
                  b"Learner licences\n\nA learner driving licence costs HK$548 and is "
                  b"valid for twelve months.").json()["id"]]
    body = {"route": "documents", "document_ids": ids,
            "text": "How much is the renewal fee for a driving licence?"}
    echo.reply = "Not in the documents."
    first = client.post("/api/copilot/run", headers=team.officer.headers, json=body).json()
    numbers = {s["number"]: s["text"] for s in first["sources"]}
    right = next(n for n, text in numbers.items() if "HK$900" in text)
    wrong = next(n for n, text in numbers.items() if "HK$900" not in text)
    echo.reply = f"The renewal fee stays at HK$900 for ten years [{wrong}]."
    output = client.post("/api/copilot/run", headers=team.officer.headers, json=body).json()
    assert output["text"] == f"The renewal fee stays at HK$900 for ten years [{right}]."
    assert [s["number"] for s in output["sources"] if s["cited"]] == [right]
    assert output["faithfulness"]["citations"]["recited"] == 1

    echo.reply = f"The renewal fee is HK$1,200 [{right}]."
    output = client.post("/api/copilot/run", headers=team.officer.headers, json=body).json()
    assert output["text"] == "The renewal fee is HK$1,200."
    assert not any(s["cited"] for s in output["sources"])
    assert [c["supported"] for c in output["faithfulness"]["checks"]] == [False]


def test_the_model_pointing_at_a_passage_states_no_figure(vectors):
    assert figures("根據第1段的資料，增加至150萬平方米") == [Figure(1_500_000.0)]
    assert figures("According to passage 2, there are 16 laboratories") == [Figure(16.0)]
    checked = check("根據第1段的資料，數據中心樓面面積將增至約150萬平方米[2]。", vectors)
    assert checked.verdicts[0].kept == [2]

