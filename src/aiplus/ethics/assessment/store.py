"""Impact assessments in the database: answer, submit, attach evidence, sign off, re-assess.

Rules kept here rather than in the web layer: officers of the model's organisation answer and
submit; a reviewer of that organisation signs off, and never the person who submitted (four
eyes); approval needs the assurance results the risk level's gate asks for; an approval lasts
until its re-assessment date, after which the model cannot be (re)deployed.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiplus.core import audit
from aiplus.core.db import utcnow
from aiplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.core.storage import FileStore
from aiplus.ethics.assessment.questionnaire import Questionnaire, load
from aiplus.ethics.assessment.tables import AssessmentStatus, ImpactAssessment
from aiplus.models.registry import (
    ModelVersion,
    Status,
    register_deployment_gate,
    sha256_of,
    transition,
)

WRITERS = (Role.OFFICER, Role.DATA_STEWARD)
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def approved_assessment(session: Session, row: ModelVersion,
                        today: date | None = None) -> ImpactAssessment | None:
    """The newest approved assessment of ``row`` whose re-assessment date has not passed."""
    today = today or date.today()
    found = session.scalars(
        select(ImpactAssessment)
        .where(ImpactAssessment.version_id == row.id,
               ImpactAssessment.status == AssessmentStatus.APPROVED.value)
        .order_by(ImpactAssessment.id.desc())).first()
    if found is None or (found.next_review_on is not None and found.next_review_on < today):
        return None
    return found


def require_approved_assessment(session: Session, row: ModelVersion) -> None:
    """The registry's deployment gate: no deployment without a current approved assessment."""
    if approved_assessment(session, row) is None:
        raise Conflict(N_("{name} cannot be deployed without an approved, current impact "
                          "assessment."), name=row.ref)


# Registered when this module loads, which every process that builds the platform does (the
# responsible-ai app uses it), so the registry below cannot deploy around the assessment.
register_deployment_gate("ethics.impact-assessment", require_approved_assessment)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _may_write(principal: Principal, org: str) -> None:
    if not principal.has_role(org, *WRITERS):
        raise Forbidden()


def get_assessment(session: Session, assessment_id: int) -> ImpactAssessment:
    found = session.get(ImpactAssessment, assessment_id)
    if found is None:
        raise NotFound(N_("There is no assessment {id}."), id=assessment_id)
    return found


def assessments_of(session: Session, row: ModelVersion) -> list[ImpactAssessment]:
    return list(session.scalars(select(ImpactAssessment).where(
        ImpactAssessment.version_id == row.id).order_by(ImpactAssessment.id)))


def start(session: Session, principal: Principal, row: ModelVersion,
          answers: dict[str, str] | None = None,
          questionnaire: Questionnaire | None = None) -> ImpactAssessment:
    """A draft assessment of ``row``; answers may be partial until submission."""
    _may_write(principal, row.model.org)
    form = questionnaire or load()
    found = ImpactAssessment(model_version=row, org=row.model.org, questionnaire=form.name,
                             questionnaire_version=form.version,
                             submitted_by=principal.actor)
    _apply_score(found, form, form.check_answers(answers or {}, complete=False))
    session.add(found)
    session.flush()
    audit.record(session, actor=principal.actor, org=row.model.org, action="assessment.start",
                 target=row.ref, detail={"assessment": found.id})
    return found


def answer(session: Session, principal: Principal, found: ImpactAssessment,
           answers: dict[str, str]) -> ImpactAssessment:
    _may_write(principal, found.org)
    if found.status != AssessmentStatus.DRAFT:
        raise Conflict(N_("Only a draft assessment can be changed."))
    form = load(found.questionnaire)
    merged = form.check_answers({**found.answers, **answers}, complete=False)
    _apply_score(found, form, merged)
    audit.record(session, actor=principal.actor, org=found.org, action="assessment.answer",
                 target=found.model_version.ref, detail={"assessment": found.id,
                                                         "answered": sorted(answers)})
    return found


def _apply_score(found: ImpactAssessment, form: Questionnaire, answers: dict[str, str]) -> None:
    score = form.score(answers)
    found.answers = answers
    found.raw_impact, found.mitigation = score.raw_impact, score.mitigation
    found.score, found.level = score.score, score.level
    found.requirements = [
        {"id": r.id, "text": r.text.as_dict(), "assurance": r.assurance,
         "must_pass": r.must_pass} for r in form.gate(score.level).requirements]


def linked_evidence(found: ImpactAssessment) -> list[dict[str, Any]]:
    """The version's latest assurance results, as evidence entries (linked, not copied)."""
    return [{"kind": "assurance", "plugin": name, "result_id": result.id,
             "passed": result.passed, "summary": result.summary,
             "at": result.created_at.isoformat()}
            for name, result in found.model_version.latest_results().items()]


def unmet_requirements(found: ImpactAssessment) -> list[str]:
    latest = found.model_version.latest_results()
    unmet = []
    for requirement in found.requirements:
        plugin = requirement.get("assurance")
        if not plugin:
            continue
        result = latest.get(plugin)
        if result is None or (requirement["must_pass"] and result.passed is False):
            unmet.append(requirement["id"])
    return unmet


def submit(session: Session, principal: Principal, found: ImpactAssessment) -> ImpactAssessment:
    """Score the complete answers, link test results as evidence, mark the version assessed."""
    _may_write(principal, found.org)
    if found.status not in (AssessmentStatus.DRAFT, AssessmentStatus.REJECTED):
        raise Conflict(N_("This assessment has already been submitted."))
    form = load(found.questionnaire)
    _apply_score(found, form, form.check_answers(found.answers, complete=True))
    found.evidence = [e for e in found.evidence if e["kind"] != "assurance"] + linked_evidence(
        found)
    found.status = AssessmentStatus.SUBMITTED.value
    found.submitted_by, found.submitted_at = principal.actor, utcnow()
    row = found.model_version
    if row.status in (Status.DRAFT, Status.APPROVED):
        if row.status == Status.APPROVED:
            transition(session, row, Status.DRAFT, actor=principal.actor, reason="re-assessment")
        transition(session, row, Status.ASSESSED, actor=principal.actor,
                   reason=f"assessment {found.id}")
    audit.record(session, actor=principal.actor, org=found.org, action="assessment.submit",
                 target=row.ref, detail={"assessment": found.id, "level": found.level,
                                         "score": found.score})
    return found


def review(session: Session, principal: Principal, found: ImpactAssessment, *, approve: bool,
           note: str = "", today: date | None = None) -> ImpactAssessment:
    """A reviewer's sign-off (not the submitter's); approval needs the gate's test results."""
    if not principal.has_role(found.org, Role.REVIEWER):
        raise Forbidden()
    if found.status != AssessmentStatus.SUBMITTED:
        raise Conflict(N_("Only a submitted assessment can be reviewed."))
    if principal.actor == found.submitted_by:
        raise Forbidden(N_("A reviewer other than the submitter must sign off."))
    if approve and (unmet := unmet_requirements(found)):
        raise Conflict(N_("Level {level} needs these test results first: {missing}."),
                       level=found.level, missing=", ".join(unmet))
    found.reviewer, found.reviewed_at, found.review_note = principal.actor, utcnow(), note[:2000]
    row = found.model_version
    if approve:
        found.status = AssessmentStatus.APPROVED.value
        months = load(found.questionnaire).gate(found.level).reassess_months
        found.next_review_on = add_months(today or date.today(), months)
        if row.status == Status.ASSESSED:
            transition(session, row, Status.APPROVED, actor=principal.actor,
                       reason=f"assessment {found.id}")
    else:
        found.status = AssessmentStatus.REJECTED.value
        if row.status == Status.ASSESSED:
            transition(session, row, Status.DRAFT, actor=principal.actor,
                       reason=f"assessment {found.id} rejected")
    audit.record(session, actor=principal.actor, org=found.org,
                 action=f"assessment.{found.status}", target=row.ref,
                 detail={"assessment": found.id, "note": note[:200]})
    return found


def attach(session: Session, files: FileStore, principal: Principal, found: ImpactAssessment,
           name: str, data: bytes) -> dict[str, Any]:
    """A file of evidence (a DPIA, minutes), stored content-addressed with its SHA-256."""
    _may_write(principal, found.org)
    if not data or len(data) > MAX_EVIDENCE_BYTES:
        raise ValidationFailed(N_("The file must hold 1 to {limit} bytes."),
                               limit=MAX_EVIDENCE_BYTES)
    digest = sha256_of(data)
    key = f"assessments/evidence/{digest}"
    if not files.exists(key):
        files.write_bytes(key, data)
    entry = {"kind": "file", "name": name[:200] or "evidence", "key": key, "sha256": digest,
             "size": len(data), "by": principal.actor, "at": utcnow().isoformat()}
    found.evidence = [*found.evidence, entry]
    audit.record(session, actor=principal.actor, org=found.org, action="assessment.evidence",
                 target=found.model_version.ref, detail={"assessment": found.id,
                                                         "sha256": digest})
    return entry


def due_for_review(session: Session, today: date | None = None) -> list[ImpactAssessment]:
    """Approved assessments whose re-assessment date has come."""
    today = today or date.today()
    return list(session.scalars(select(ImpactAssessment).where(
        ImpactAssessment.status == AssessmentStatus.APPROVED.value,
        ImpactAssessment.next_review_on <= today).order_by(ImpactAssessment.next_review_on)))
