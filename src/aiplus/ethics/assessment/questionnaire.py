"""Questionnaires as data: parsing, checking and scoring a bilingual YAML questionnaire.

The questions, weights, levels and gating rules live in YAML files beside this module so that
an organisation edits them without touching code. Everything is checked on load, and an error
names the field by its path (``sections[1].questions[2].weight``), because a wrong weight would
otherwise silently change every risk level computed afterwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from aiplus.core.errors import NotFound, ValidationFailed
from aiplus.core.i18n import N_, Bilingual

FOLDER = Path(__file__).resolve().parent / "questionnaires"
DEFAULT = "hk-ai-impact"
KINDS = ("impact", "mitigation")
LEVEL_NAMES = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Option:
    id: str
    score: float
    label: Bilingual


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    kind: str
    weight: float
    text: Bilingual
    options: tuple[Option, ...]
    confirmed: bool | None = None
    evidence: str | None = None
    """An assurance plugin whose latest result supports the answer (linked automatically)."""

    @property
    def most(self) -> float:
        return self.weight * max(option.score for option in self.options)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: Bilingual
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Requirement:
    id: str
    text: Bilingual
    assurance: str | None
    must_pass: bool


@dataclass(frozen=True)
class Gate:
    level: int
    reassess_months: int
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Score:
    raw_impact: float
    mitigation: float
    score: float
    level: int
    max_impact: float
    max_mitigation: float
    reduced: bool

    def as_dict(self) -> dict[str, Any]:
        return {"raw_impact": self.raw_impact, "mitigation": self.mitigation,
                "score": self.score, "level": self.level,
                "level_name": LEVEL_NAMES[self.level - 1], "max_impact": self.max_impact,
                "max_mitigation": self.max_mitigation, "mitigation_reduced_score": self.reduced}


@dataclass(frozen=True)
class Questionnaire:
    name: str
    version: str
    title: Bilingual
    sections: tuple[Section, ...]
    levels: tuple[tuple[int, float], ...]
    gates: tuple[Gate, ...]
    mitigation_threshold: float
    mitigation_reduction: float

    @property
    def questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def gate(self, level: int) -> Gate:
        return next(g for g in self.gates if g.level == level)

    def check_answers(self, answers: dict[str, str], complete: bool) -> dict[str, str]:
        """Answers as {question id: option id}; with ``complete`` every question is needed."""
        if not isinstance(answers, dict):
            raise ValidationFailed(N_("Field {field} must map question ids to option ids."),
                                   field="answers")
        for question_id, option_id in answers.items():
            question = self.question(str(question_id))
            if question is None:
                raise ValidationFailed(N_("Question {field} is not in this questionnaire."),
                                       field=str(question_id))
            if question.option(str(option_id)) is None:
                raise ValidationFailed(
                    N_("Answer {value} is not an option of question {field}; options: {choices}."),
                    value=str(option_id), field=question.id,
                    choices=", ".join(o.id for o in question.options))
        if complete:
            missing = [q.id for q in self.questions if q.id not in answers]
            if missing:
                raise ValidationFailed(N_("Question {field} is not answered."), field=missing[0],
                                       details=[{"field": m} for m in missing])
        return {str(k): str(v) for k, v in answers.items()}

    def score(self, answers: dict[str, str]) -> Score:
        """Raw impact and mitigation from weighted answers, then the level (Canada's AIA)."""
        totals = {kind: 0.0 for kind in KINDS}
        for question in self.questions:
            chosen = question.option(answers.get(question.id, ""))
            if chosen is not None:
                totals[question.kind] += question.weight * chosen.score
        max_impact = sum(q.most for q in self.questions if q.kind == "impact")
        max_mitigation = sum(q.most for q in self.questions if q.kind == "mitigation")
        reduced = max_mitigation > 0 and (
            totals["mitigation"] >= self.mitigation_threshold * max_mitigation)
        score = totals["impact"] * (1 - self.mitigation_reduction if reduced else 1)
        share = score / max_impact if max_impact else 0.0
        level = next(level for level, up_to in self.levels if share <= up_to + 1e-12)
        return Score(raw_impact=totals["impact"], mitigation=totals["mitigation"],
                     score=round(score, 6), level=level, max_impact=max_impact,
                     max_mitigation=max_mitigation, reduced=reduced)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "version": self.version, "title": self.title.as_dict(),
            "sections": [{
                "id": s.id, "title": s.title.as_dict(),
                "questions": [{
                    "id": q.id, "kind": q.kind, "weight": q.weight, "text": q.text.as_dict(),
                    "confirmed": q.confirmed, "evidence": q.evidence,
                    "options": [{"id": o.id, "score": o.score, "label": o.label.as_dict()}
                                for o in q.options]} for q in s.questions]}
                for s in self.sections],
            "levels": [{"level": level, "up_to": up_to} for level, up_to in self.levels],
            "gating": [{"level": g.level, "reassess_months": g.reassess_months,
                        "requirements": [{"id": r.id, "text": r.text.as_dict(),
                                          "assurance": r.assurance, "must_pass": r.must_pass}
                                         for r in g.requirements]} for g in self.gates],
        }


class _Reader:
    """Reads one YAML document, keeping the path of the value being read for errors."""

    def fail(self, path: str, message: str = N_("Field {field} is missing or invalid.")
             ) -> ValidationFailed:
        return ValidationFailed(message, field=path)

    def get(self, data: Any, key: str, path: str) -> Any:
        if not isinstance(data, dict) or key not in data or data[key] is None:
            raise self.fail(f"{path}.{key}" if path else key)
        return data[key]

    def text(self, data: Any, key: str, path: str) -> str:
        value = self.get(data, key, path)
        if isinstance(value, bool) or not str(value).strip():
            raise self.fail(f"{path}.{key}")
        return str(value)

    def bilingual(self, data: Any, key: str, path: str) -> Bilingual:
        value = self.get(data, key, path)
        where = f"{path}.{key}"
        return Bilingual(self.text(value, "en", where), self.text(value, "zh-Hant", where))

    def number(self, data: Any, key: str, path: str, low: float = 0.0) -> float:
        value = self.get(data, key, path)
        if isinstance(value, bool) or not isinstance(value, int | float) or (
                not math.isfinite(value)) or value < low:
            raise ValidationFailed(N_("Field {field} must be a number of at least {low}."),
                                   field=f"{path}.{key}", low=low)
        return float(value)

    def items(self, data: Any, key: str, path: str) -> list[Any]:
        value = self.get(data, key, path)
        if not isinstance(value, list) or not value:
            raise self.fail(f"{path}.{key}")
        return value


def parse(document: Any) -> Questionnaire:
    """A checked questionnaire from parsed YAML; errors name the field by its path."""
    read = _Reader()
    scales: dict[str, Any] = document.get("scales", {}) if isinstance(document, dict) else {}
    seen: set[str] = set()
    sections = []
    for s_index, section in enumerate(read.items(document, "sections", "")):
        s_path = f"sections[{s_index}]"
        questions = []
        for q_index, question in enumerate(read.items(section, "questions", s_path)):
            q_path = f"{s_path}.questions[{q_index}]"
            question_id = read.text(question, "id", q_path)
            if question_id in seen:
                raise ValidationFailed(N_("Question id {value} is used twice ({field})."),
                                       value=question_id, field=f"{q_path}.id")
            seen.add(question_id)
            kind = read.text(question, "kind", q_path)
            if kind not in KINDS:
                raise read.fail(f"{q_path}.kind")
            weight = read.number(question, "weight", q_path)
            if weight <= 0:
                raise ValidationFailed(N_("Field {field} must be a number of at least {low}."),
                                       field=f"{q_path}.weight", low="0 (exclusive)")
            raw_options = question.get("options") if isinstance(question, dict) else None
            o_path = f"{q_path}.options"
            if raw_options is None and isinstance(question, dict) and "scale" in question:
                raw_options = scales.get(question["scale"])
                o_path = f"scales.{question['scale']}"
            if not isinstance(raw_options, list) or len(raw_options) < 2:
                raise read.fail(o_path)
            options = tuple(
                Option(id=read.text(o, "id", f"{o_path}[{i}]"),
                       score=read.number(o, "score", f"{o_path}[{i}]"),
                       label=read.bilingual(o, "label", f"{o_path}[{i}]"))
                for i, o in enumerate(raw_options))
            confirmed = question.get("confirmed")
            questions.append(Question(
                id=question_id, section=read.text(section, "id", s_path), kind=kind,
                weight=weight, text=read.bilingual(question, "text", q_path), options=options,
                confirmed=None if confirmed is None else bool(confirmed),
                evidence=question.get("evidence")))
        sections.append(Section(id=read.text(section, "id", s_path),
                                title=read.bilingual(section, "title", s_path),
                                questions=tuple(questions)))
    scoring = read.get(document, "scoring", "")
    levels = []
    for index, level in enumerate(read.items(scoring, "levels", "scoring")):
        path = f"scoring.levels[{index}]"
        levels.append((int(read.number(level, "level", path, 1)),
                       read.number(level, "up_to", path)))
    if [lv for lv, _ in levels] != [1, 2, 3, 4] or [u for _, u in levels] != sorted(
            u for _, u in levels) or levels[-1][1] < 1:
        raise ValidationFailed(N_("Field {field} must list levels 1 to 4 with rising bounds "
                                  "ending at 1."), field="scoring.levels")
    gates = []
    for index, gate in enumerate(read.items(document, "gating", "")):
        path = f"gating[{index}]"
        requirements = tuple(
            Requirement(id=read.text(r, "id", f"{path}.requirements[{i}]"),
                        text=read.bilingual(r, "text", f"{path}.requirements[{i}]"),
                        assurance=r.get("assurance"), must_pass=bool(r.get("must_pass")))
            for i, r in enumerate(gate.get("requirements") or []))
        gates.append(Gate(level=int(read.number(gate, "level", path, 1)),
                          reassess_months=int(read.number(gate, "reassess_months", path, 1)),
                          requirements=requirements))
    if sorted(g.level for g in gates) != [1, 2, 3, 4]:
        raise ValidationFailed(N_("Field {field} must have one entry per level 1 to 4."),
                               field="gating")
    threshold = read.number(scoring, "mitigation_threshold", "scoring")
    reduction = read.number(scoring, "mitigation_reduction", "scoring")
    if threshold > 1 or reduction >= 1:
        raise ValidationFailed(N_("Field {field} must be a share between 0 and 1."),
                               field="scoring.mitigation_reduction")
    return Questionnaire(
        name=read.text(document, "name", ""), version=read.text(document, "version", ""),
        title=read.bilingual(document, "title", ""), sections=tuple(sections),
        levels=tuple(levels), gates=tuple(sorted(gates, key=lambda g: g.level)),
        mitigation_threshold=threshold, mitigation_reduction=reduction)


def parse_yaml(text: str | bytes) -> Questionnaire:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as problem:
        raise ValidationFailed(N_("The questionnaire is not valid YAML: {reason}"),
                               reason=str(problem)[:300]) from None
    if not isinstance(document, dict):
        raise ValidationFailed(N_("The questionnaire must be a YAML mapping."))
    return parse(document)


@cache
def load(name: str = DEFAULT) -> Questionnaire:
    """A questionnaire shipped in :data:`FOLDER` (read once per process)."""
    path = FOLDER / f"{name}.yaml"
    if not name.replace("-", "").isalnum() or not path.is_file():
        raise NotFound(N_("There is no questionnaire called {name}."), name=name)
    return parse_yaml(path.read_text(encoding="utf-8"))


def available() -> list[str]:
    return sorted(p.stem for p in FOLDER.glob("*.yaml"))
