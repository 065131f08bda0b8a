"""Fusion chosen by cross-validation over several FAQ sets: deterministic, never below plain
dense in its own cross-validation, and never below plain dense on real held-out queries."""

from __future__ import annotations

import numpy as np
import pytest

from aiplus.apps.enquiry.retrieval.bench import split_figures
from aiplus.apps.enquiry.retrieval.candidates import QueryCandidates
from aiplus.apps.enquiry.retrieval.faqsets import FaqSet, stackfaq_set, team_set
from aiplus.apps.enquiry.retrieval.fusion import FEATURES
from aiplus.apps.enquiry.retrieval.kb import EvalQuery
from aiplus.apps.enquiry.retrieval.parameters import load_parameters
from aiplus.apps.enquiry.retrieval.selection import (
    PLAIN_DENSE,
    FusionConfig,
    Selection,
    fit_config,
    ranking_figures,
    select,
)

pytestmark = pytest.mark.nodb

DENSE = FEATURES.index("dense_question")
SAME_Z = FEATURES.index("dense_same_z")
LEXICAL = FEATURES.index("bm25_question_rel")
FEW = [FusionConfig("all", 1.0), FusionConfig("no-lexical", 1.0), FusionConfig("all", 0.5)]


def synthetic_set(seed: int, lexical: float, *, signal: float = 0.0, queries: int = 40
                  ) -> list[QueryCandidates]:
    """Pools of 8 candidates of random features where the dense cosine is informative, the
    lexical feature shifts the right FAQ by ``lexical`` (helpful above 0, misleading below:
    a set written with the FAQs' own words against real users' rephrasings) and the
    same-language z-score by ``signal``."""
    rng = np.random.default_rng(seed)
    items = []
    for n in range(queries):
        features = rng.normal(size=(8, len(FEATURES)))
        labels = np.zeros(8, dtype=np.int64)
        labels[rng.integers(8)] = 1
        features[:, DENSE] += 1.2 * labels
        features[:, SAME_Z] += signal * labels
        features[:, LEXICAL] += lexical * labels
        faq = f"s{seed}-faq{n % 10}"
        items.append(QueryCandidates(EvalQuery(f"q{n}", "en", faq, "paraphrase"),
                                     [faq if label else f"other{k}" for k, label in
                                      enumerate(labels)], features, labels))
    return items


def noisy_sets() -> dict[str, list[QueryCandidates]]:
    """Few queries, many noise features: every learned fusion overfits."""
    return {"authored": synthetic_set(1, 1.5), "real": synthetic_set(2, -1.5)}


def informative_sets() -> dict[str, list[QueryCandidates]]:
    """A second informative feature that holds on both sets; lexical evidence that does not."""
    return {"authored": synthetic_set(1, 4.0, signal=1.2, queries=60),
            "real": synthetic_set(2, -2.0, signal=1.2, queries=60)}


def test_cv_selection_is_deterministic():
    first, second = select(noisy_sets(), FEW), select(noisy_sets(), FEW)
    assert first.chosen == second.chosen
    assert first.table == second.table
    assert [row["config"] for row in first.table] == ["dense", "all@1", "no-lexical@1", "all@0.5"]


def admissible_and_not_below_dense(selection: Selection, sets: list[str]) -> None:
    rows = {row["config"]: row for row in selection.table}
    chosen, dense = rows[selection.chosen.name], rows["dense"]
    assert chosen["admissible"]
    for name in sets:
        for key in ("p_at_1", "mrr_at_10"):
            assert chosen[name][key] >= dense[name][key], (name, key, chosen, dense)


def test_selection_falls_back_to_dense_when_every_fusion_loses_somewhere():
    selection = select(noisy_sets(), FEW)
    admissible_and_not_below_dense(selection, ["authored", "real"])
    assert selection.chosen == PLAIN_DENSE, selection.table


def test_selection_takes_a_fusion_that_wins_on_every_set():
    selection = select(informative_sets(), FEW)
    admissible_and_not_below_dense(selection, ["authored", "real"])
    rows = {row["config"]: row for row in selection.table}
    assert selection.chosen != PLAIN_DENSE
    assert rows[selection.chosen.name]["mean_p_at_1"] > rows["dense"]["mean_p_at_1"] + 0.1


def test_plain_dense_configuration_ranks_by_the_dense_cosine():
    sets = noisy_sets()
    scorer = fit_config(sets, PLAIN_DENSE)
    item = sets["real"][0]
    assert list(np.argsort(-scorer(item.features))) == list(np.argsort(-item.features[:, DENSE]))
    assert ranking_figures(scorer, sets["real"])["p_at_1"] > 0.3


def test_shipped_parameters_record_how_they_were_chosen():
    selection = load_parameters().selection
    assert set(selection["dev_queries"]) == {"team", "stackfaq"}
    chosen = FusionConfig.from_selection(selection)
    row = next(r for r in selection["table"] if r["config"] == chosen.name)
    assert row["admissible"]


def small(faq_set: FaqSet, faqs: int) -> FaqSet:
    """The first ``faqs`` FAQs of a set and their held-out queries."""
    kb = faq_set.kb[:faqs]
    ids = {e.id for e in kb}
    return FaqSet(faq_set.name, kb, [], [q for q in faq_set.test if q.faq_id in ids])


@pytest.mark.parametrize("fixture", ["stackfaq", "team"])
def test_fused_ranking_is_never_worse_than_plain_dense(fixture):
    """Real E5 and BM25 on held-out queries nothing was tuned on: a fusion that gave weight to
    misleading evidence fails here."""
    faq_set = small(stackfaq_set(), 40) if fixture == "stackfaq" else small(team_set(), 102)
    figures, _ = split_figures(faq_set, faq_set.test)
    for key in ("p_at_1", "mrr_at_10"):
        assert figures["hybrid"][key] >= figures["plain dense"][key], figures
