"""The responsible-AI application's use cases, over the registry and ethics pillars.

Thin on purpose: the rules live in :mod:`aiplus.models.registry` and :mod:`aiplus.ethics`;
this layer checks who may act, runs heavy work outside transactions and stores the outcome in
one transaction with its audit entry.
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

import pandas as pd

from aiplus.core.errors import Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_, Bilingual
from aiplus.core.identity import Principal, Role
from aiplus.ethics.assessment import store as assessments
from aiplus.ethics.assessment.questionnaire import load as load_questionnaire
from aiplus.ethics.assurance.contract import AssuranceData
from aiplus.ethics.assurance.store import compare, run_suite, store_suite
from aiplus.ethics.inputs import require_columns
from aiplus.models.registry import (
    CardText,
    Lineage,
    Status,
    get_version,
    list_models,
    load_artefact,
    register_version,
    transition,
)
from aiplus.models.registry.loading import load_scorer
from aiplus.models.registry.sync import sync_once
from aiplus.models.registry.tables import AssuranceResult
from aiplus.platform.services import Platform

WRITERS = (Role.OFFICER, Role.DATA_STEWARD)
MAX_ARTEFACT_BYTES = 50 * 1024 * 1024
MAX_CSV_ROWS = 200_000


def read_csv(data: bytes) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.BytesIO(data))
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as problem:
        raise ValidationFailed(N_("The file could not be read as CSV: {reason}"),
                               reason=str(problem)[:200]) from None
    if len(frame) > MAX_CSV_ROWS or frame.empty:
        raise ValidationFailed(N_("The file must have 1 to {limit} rows."), limit=MAX_CSV_ROWS)
    return frame


def _may_write(principal: Principal, org: str) -> None:
    if not principal.has_role(org, *WRITERS):
        raise Forbidden()


class ResponsibleAI:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def _sync_once(self) -> None:
        """Every app's declared models enter the registry on first use in this process."""
        sync_once(self.platform.db, self.platform.files, self.platform.registry,
                  self.platform.shared)

    # -- reads (public: the registry is part of the AI register) --------------------------
    def models(self) -> list[dict[str, Any]]:
        self._sync_once()
        with self.platform.db.read() as session:
            out = []
            for model in list_models(session):
                entry = model.as_dict()
                latest = model.versions[-1] if model.versions else None
                entry["latest"] = latest.as_dict() if latest else None
                if latest is not None:
                    entry["latest"]["assessment"] = self._assessment_summary(session, latest)
                out.append(entry)
            return out

    @staticmethod
    def _assessment_summary(session: Any, row: Any) -> dict[str, Any] | None:
        found = assessments.assessments_of(session, row)
        if not found:
            return None
        last = found[-1]
        return {"id": last.id, "status": last.status, "level": last.level,
                "level_name": ("I", "II", "III", "IV")[last.level - 1],
                "next_review_on": last.next_review_on.isoformat()
                if last.next_review_on else None}

    def version(self, name: str, version: str | None = None) -> dict[str, Any]:
        self._sync_once()
        with self.platform.db.read() as session:
            row = get_version(session, name, version)
            data = row.as_dict()
            data["versions"] = [v.summary() for v in row.model.versions]
            data["assessments"] = [
                {"id": a.id, "status": a.status, "level": a.level, "score": a.score,
                 "submitted_by": a.submitted_by, "reviewer": a.reviewer,
                 "next_review_on": a.next_review_on.isoformat() if a.next_review_on else None}
                for a in assessments.assessments_of(session, row)]
            data["results"] = {name: r.as_dict() for name, r in row.latest_results().items()}
            return data

    def compare(self, name: str, plugin: str) -> list[dict[str, Any]]:
        with self.platform.db.read() as session:
            return compare(get_version(session, name).model, plugin)

    def result(self, result_id: int) -> dict[str, Any]:
        with self.platform.db.read() as session:
            found = session.get(AssuranceResult, result_id)
            if found is None:
                raise NotFound(N_("There is no test result {id}."), id=result_id)
            return found.as_dict()

    # -- writes ----------------------------------------------------------------------------
    def register(self, principal: Principal, body: dict[str, Any]) -> dict[str, Any]:
        _may_write(principal, body["org"])
        artefact = None
        if body.get("artefact_base64"):
            try:
                artefact = base64.b64decode(body["artefact_base64"], validate=True)
            except (binascii.Error, ValueError):
                raise ValidationFailed(N_("Field {field} must be base64."),
                                       field="artefact_base64") from None
            if len(artefact) > MAX_ARTEFACT_BYTES:
                raise ValidationFailed(N_("The model file is larger than the limit of {limit} "
                                          "bytes."), limit=MAX_ARTEFACT_BYTES)
        with self.platform.db.transaction() as session:
            row = register_version(
                session, self.platform.files, name=body["name"], version=body["version"],
                kind=body["kind"], org=body["org"], actor=principal.actor,
                title=Bilingual(body["title_en"], body["title_zh"]),
                card=CardText.from_dict(body["card"]), lineage=Lineage(**body["lineage"]),
                metrics=body.get("metrics") or {}, artefact=artefact)
            return row.as_dict()

    def set_status(self, principal: Principal, name: str, version: str, status: str,
                   reason: str = "") -> dict[str, Any]:
        with self.platform.db.transaction() as session:
            row = get_version(session, name, version)
            _may_write(principal, row.model.org)
            transition(session, row, Status(status), actor=principal.actor, reason=reason)
            return row.as_dict()

    def assure(self, principal: Principal, name: str, version: str, data: bytes, *,
               label: str, pred: str | None, score: str | None, sensitive: list[str],
               plugins: list[str] | None, params: dict[str, Any] | None = None
               ) -> dict[str, Any]:
        """Run assurance tests on an uploaded CSV and store the results against the version:
        from predictions when ``pred`` names a column, otherwise by scoring the rows with the
        version's own (verified) artefact."""
        with self.platform.db.read() as session:
            row = get_version(session, name, version)
            _may_write(principal, row.model.org)
            kind = row.model.kind
            artefact = None if pred else load_artefact(self.platform.files, row)
        frame = read_csv(data)
        if pred:
            evidence = AssuranceData.from_predictions(frame, label=label, pred=pred,
                                                      score=score, sensitive=sensitive)
        else:
            loaded = load_scorer(kind, artefact)
            require_columns(frame, [label, *sensitive, *(loaded.features or [])])
            features = frame[loaded.features] if loaded.features else frame.drop(
                columns=[label, *sensitive])
            evidence = AssuranceData.from_model(
                loaded.score, features, frame[label].rename(label),
                sensitive=frame[sensitive] if sensitive else None, tree_model=loaded.tree_model)
        done = run_suite(evidence, plugins, params)
        with self.platform.db.transaction() as session:
            row = get_version(session, name, version)
            stored = store_suite(session, row, done, principal.actor)
            return {"model": row.ref, "results": [r.as_dict() for r in stored]}

    # -- assessments -------------------------------------------------------------------------
    def start_assessment(self, principal: Principal, name: str, version: str,
                         answers: dict[str, str]) -> dict[str, Any]:
        with self.platform.db.transaction() as session:
            row = get_version(session, name, version)
            return assessments.start(session, principal, row, answers).as_dict()

    def _readable(self, principal: Principal, org: str) -> None:
        if not principal.has_role(org, *WRITERS, Role.REVIEWER):
            raise Forbidden()

    def assessment(self, principal: Principal, assessment_id: int) -> dict[str, Any]:
        with self.platform.db.read() as session:
            found = assessments.get_assessment(session, assessment_id)
            self._readable(principal, found.org)
            data = found.as_dict()
            data["unmet_requirements"] = assessments.unmet_requirements(found)
            data["model_card"] = found.model_version.as_dict()
            return data

    def answer(self, principal: Principal, assessment_id: int,
               answers: dict[str, str]) -> dict[str, Any]:
        with self.platform.db.transaction() as session:
            found = assessments.get_assessment(session, assessment_id)
            return assessments.answer(session, principal, found, answers).as_dict()

    def submit(self, principal: Principal, assessment_id: int) -> dict[str, Any]:
        with self.platform.db.transaction() as session:
            found = assessments.get_assessment(session, assessment_id)
            return assessments.submit(session, principal, found).as_dict()

    def review(self, principal: Principal, assessment_id: int, approve: bool,
               note: str) -> dict[str, Any]:
        with self.platform.db.transaction() as session:
            found = assessments.get_assessment(session, assessment_id)
            return assessments.review(session, principal, found, approve=approve,
                                      note=note).as_dict()

    def attach(self, principal: Principal, assessment_id: int, name: str,
               data: bytes) -> dict[str, Any]:
        with self.platform.db.transaction() as session:
            found = assessments.get_assessment(session, assessment_id)
            return assessments.attach(session, self.platform.files, principal, found, name,
                                      data)

    @staticmethod
    def questionnaire() -> dict[str, Any]:
        return load_questionnaire().as_dict()
