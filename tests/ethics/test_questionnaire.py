"""The bilingual questionnaire: loads from YAML, scores like Canada's AIA, names bad fields."""

import pytest
import yaml

from aiplus.core.errors import ValidationFailed
from aiplus.ethics.assessment.questionnaire import FOLDER, load, parse, parse_yaml

pytestmark = pytest.mark.nodb


def _answers(form, impact: int, mitigation: int) -> dict[str, str]:
    """Every impact question at option ``impact`` and mitigation at ``mitigation``."""
    return {q.id: q.options[min(impact if q.kind == "impact" else mitigation,
                                len(q.options) - 1)].id for q in form.questions}


def test_ships_the_hong_kong_frameworks_in_both_languages():
    form = load()
    sections = {s.id for s in form.sections}
    assert sections == {"impact", "principles", "lifecycle", "pcpd", "gba"}
    principles = [q for q in form.questions if q.section == "principles"]
    confirmed = {q.id for q in principles if q.confirmed}
    assert confirmed == {"principle-transparency", "principle-reliability"}
    assert len(principles) == 12 and all(q.confirmed is False for q in principles
                                         if q.id not in confirmed)
    assert len([q for q in form.questions if q.section == "lifecycle"]) == 6
    assert len([q for q in form.questions if q.section == "pcpd"]) == 4
    assert all(q.text.zh and q.text.en for q in form.questions)


def test_scores_weighted_answers_into_levels_one_to_four():
    form = load()
    lowest = form.score(_answers(form, 0, 0))
    assert lowest.raw_impact == 1 and lowest.level == 1 and not lowest.reduced  # 'few' people
    highest = form.score(_answers(form, 9, 0))
    assert highest.raw_impact == highest.max_impact and highest.level == 4
    mitigated = form.score(_answers(form, 9, 9))
    assert mitigated.reduced and mitigated.score == pytest.approx(0.85 * highest.max_impact)
    assert mitigated.level == 4  # 85 % of the maximum still lies above the level III bound


def test_incomplete_and_unknown_answers_are_refused():
    form = load()
    with pytest.raises(ValidationFailed) as problem:
        form.check_answers({"decisions": "maybe"}, complete=False)
    assert problem.value.params["field"] == "decisions"
    with pytest.raises(ValidationFailed) as problem:
        form.check_answers({"decisions": "no"}, complete=True)
    assert problem.value.params["field"] == "reversibility"


@pytest.mark.parametrize(("edit", "field"), [
    (lambda d: d["sections"][0]["questions"][1].update(weight=-1),
     "sections[0].questions[1].weight"),
    (lambda d: d["sections"][0]["questions"][0].update(weight="heavy"),
     "sections[0].questions[0].weight"),
    (lambda d: d["sections"][0]["questions"][2]["text"].pop("zh-Hant"),
     "sections[0].questions[2].text.zh-Hant"),
    (lambda d: d["scales"]["practice"][1].update(score=float("nan")), "scales.practice[1].score"),
    (lambda d: d["scoring"]["levels"].reverse(), "scoring.levels"),
])
def test_invalid_questionnaires_name_the_field(edit, field):
    document = yaml.safe_load((FOLDER / "hk-ai-impact.yaml").read_text(encoding="utf-8"))
    edit(document)
    with pytest.raises(ValidationFailed) as problem:
        parse(document)
    assert problem.value.params["field"] == field


def test_yaml_that_is_not_a_mapping_is_refused():
    with pytest.raises(ValidationFailed):
        parse_yaml("- just\n- a list\n")
    with pytest.raises(ValidationFailed):
        parse_yaml("name: [unclosed\n")
