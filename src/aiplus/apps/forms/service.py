"""The forms service: read an upload, store it for review, and the officers' review queue.

Every write (a submission, a correction, a decision, a purge) runs in one transaction with its
audit entry, so a failure leaves nothing half-written. Officers see only their own
organisations' submissions; an applicant sees only their own, by its reference.
"""

from __future__ import annotations

import base64
import io
import json
import secrets
from datetime import timedelta
from typing import Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from aiplus.apps.forms import intake, sealed, templates, values
from aiplus.apps.forms.extract import FieldResult, Reading, cross_check, read
from aiplus.apps.forms.tables import Correction, Submission
from aiplus.apps.forms.settings import forms_settings
from aiplus.core import audit
from aiplus.core.db import Database, utcnow
from aiplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_, Translator
from aiplus.core.identity import Principal, Role
from aiplus.core.settings import Settings
from aiplus.platform.services import Platform

REVIEWERS = (Role.OFFICER, Role.REVIEWER, Role.ADMIN)
PAGE = 200
CROP_PADDING = 12


def _best_page(pages: list[Image.Image], template: templates.FormTemplate) -> Reading:
    """The first page that is this form; otherwise the last reading (its status explains)."""
    reading: Reading | None = None
    for image in pages:
        reading = read(image, template, engine=forms_settings().engine)
        if reading.status != "rejected":
            return reading
    assert reading is not None
    return reading


def _stored_fields(reading: Reading) -> dict[str, Any]:
    return {name: {"value": r.value, "confidence": r.confidence, "bbox": r.bbox,
                   "errors": r.errors, "raw": r.raw} for name, r in reading.fields.items()}


def _field_view(stored: dict[str, Any], translate: Translator) -> dict[str, Any]:
    result = FieldResult(name="", value=stored["value"], confidence=stored["confidence"],
                         bbox=tuple(stored["bbox"]) if stored["bbox"] else None,
                         errors=stored["errors"])
    return result.as_dict(translate)


def _reasons(reasons: list[dict[str, Any]], translate: Translator) -> list[str]:
    return [translate(item["message"], **item["params"]) for item in reasons]


class Forms:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    @property
    def db(self) -> Database:
        return self.platform.db

    @property
    def settings(self) -> Settings:
        return self.platform.settings

    # -- applicants ---------------------------------------------------------------------

    def extract(self, principal: Principal, data: bytes, translate: Translator, *,
                template_id: str = "idp", org: str | None = None,
                licence: bytes | None = None) -> dict[str, Any]:
        """Read an uploaded form (and optional supporting licence image); with ``org`` the
        result is stored for that organisation's review queue and a reference returned."""
        template = templates.load(template_id)
        if org is not None and not principal.has_role(org, Role.PUBLIC, *REVIEWERS):
            raise Forbidden()
        reading = _best_page(intake.pages(data), template)
        for check in template.cross_checks:
            if licence is not None and reading.status not in ("retake_photo", "rejected"):
                other = _best_page(intake.pages(licence), templates.load(check.template))
                cross_check(reading, check.document, other, check.pairs)
        body: dict[str, Any] = {
            "template": template.id,
            "version": template.version,
            "fields": {name: r.as_dict(translate) for name, r in reading.fields.items()},
            "status": reading.status,
            "reasons": _reasons(reading.reasons, translate),
            "quality": {k: round(v, 4) for k, v in reading.quality.items()},
            "reference": None,
        }
        with self.db.transaction() as session:
            if org is not None:
                submission = self.store(session, principal, org, reading)
                body["reference"] = submission.reference
            audit.record(session, actor=principal.actor, action="forms.extract",
                         target=body["reference"] or template.id, org=org,
                         detail={"template": template.id, "version": template.version,
                                 "status": reading.status,
                                 "review": sorted(name for name, r in reading.fields.items()
                                                  if r.confidence < template.review_threshold
                                                  or not r.valid)})
        return body

    def store(self, session: Session, principal: Principal, org: str,
               reading: Reading) -> Submission:
        now = utcnow()
        submission = Submission(
            reference=secrets.token_urlsafe(18)[:24], org=org, template=reading.template.id,
            template_version=reading.template.version, status=reading.status,
            submitted_by=principal.actor, fields=_stored_fields(reading),
            reasons=reading.reasons, quality=reading.quality,
            image=sealed.seal(self.settings, reading.image), created_at=now,
            purge_after=now + timedelta(days=forms_settings().retention_days), review_note="",
        )
        session.add(submission)
        session.flush()
        return submission

    def status(self, principal: Principal, reference: str, translate: Translator) -> dict[str, Any]:
        """What the applicant (or an officer of the organisation) may see of a submission."""
        with self.db.read() as session:
            row = self._visible(session, principal, reference, applicant_ok=True)
            return {"reference": row.reference, "template": row.template, "status": row.status,
                    "reasons": _reasons(row.reasons, translate),
                    "submitted_at": row.created_at.isoformat(),
                    "reviewed_at": row.reviewed_at.isoformat() if row.reviewed_at else None,
                    "fields": {name: _field_view(stored, translate)
                               for name, stored in row.fields.items()}}

    # -- officers -----------------------------------------------------------------------

    def _visible(self, session: Session, principal: Principal, reference: str, *,
                 applicant_ok: bool = False) -> Submission:
        row = session.scalar(select(Submission).where(Submission.reference == reference))
        if row is None:
            raise NotFound()
        if principal.has_role(row.org, *REVIEWERS):
            return row
        if applicant_ok and principal.authenticated and row.submitted_by == principal.actor:
            return row
        raise NotFound()  # not Forbidden: whether a reference exists is not disclosed

    def queue(self, principal: Principal, status: str | None = "needs_review") -> list[dict[str, Any]]:
        orgs = [org for org in principal.roles if principal.has_role(org, *REVIEWERS)]
        with self.db.read() as session:
            query = select(Submission).where(Submission.org.in_(orgs))
            if status:
                query = query.where(Submission.status == status)
            rows = session.scalars(query.order_by(Submission.created_at).limit(PAGE))
            return [{"reference": row.reference, "org": row.org, "template": row.template,
                     "status": row.status, "submitted_at": row.created_at.isoformat(),
                     "doubtful": self._doubtful(row)} for row in rows]

    @staticmethod
    def _doubtful(row: Submission) -> list[str]:
        threshold = templates.load(row.template).review_threshold
        return [name for name, stored in row.fields.items()
                if stored["confidence"] < threshold or stored["errors"]]

    def detail(self, principal: Principal, reference: str, translate: Translator) -> dict[str, Any]:
        with self.db.read() as session:
            row = self._visible(session, principal, reference)
            template = templates.load(row.template)
            doubtful = set(self._doubtful(row))
            fields = []
            for spec in template.fields:
                stored = row.fields.get(spec.name)
                if stored is None:
                    continue
                fields.append({"name": spec.name, "label": {"en": spec.label_en, "zh-Hant": spec.label_zh},
                               "doubtful": spec.name in doubtful,
                               **_field_view(stored, translate)})
            return {"reference": row.reference, "org": row.org, "template": row.template,
                    "status": row.status, "reasons": _reasons(row.reasons, translate),
                    "fields": fields, "image_available": row.image is not None,
                    "reviewed_by": row.reviewed_by, "review_note": row.review_note}

    def crop(self, principal: Principal, reference: str, field: str) -> bytes:
        """The page image around one field, as PNG, for the officer checking it."""
        with self.db.read() as session:
            row = self._visible(session, principal, reference)
            stored = row.fields.get(field)
            if stored is None or not stored["bbox"] or row.image is None:
                raise NotFound()
            return self._crop_png(row.image, stored["bbox"])

    def _crop_png(self, token: bytes, bbox: list[int]) -> bytes:
        image = sealed.unseal(self.settings, token)
        x0, y0, x1, y1 = bbox
        box = (max(0, x0 - CROP_PADDING), max(0, y0 - CROP_PADDING),
               min(image.width, x1 + CROP_PADDING), min(image.height, y1 + CROP_PADDING))
        if box[2] <= box[0] or box[3] <= box[1]:
            raise NotFound()
        buffer = io.BytesIO()
        image.crop(box).save(buffer, "PNG")
        return buffer.getvalue()

    def review(self, principal: Principal, reference: str, *, corrections: dict[str, str],
               decision: str, note: str = "") -> dict[str, Any]:
        """Apply an officer's corrections and decision (``approve`` or ``reject``). Corrected
        values are validated again: an officer cannot approve an invalid application."""
        if decision not in ("approve", "reject"):
            raise ValidationFailed(N_("The decision must be approve or reject."))
        with self.db.transaction() as session:
            row = self._visible(session, principal, reference)
            if row.status not in ("needs_review", "accepted"):
                raise Conflict(N_("This submission is {status} and cannot be reviewed."),
                               status=row.status)
            template = templates.load(row.template)
            fields = json.loads(json.dumps(row.fields))
            for name, value in corrections.items():
                if name not in fields:
                    raise ValidationFailed(N_("There is no field called {name}."), name=name)
                spec = template.field(name)
                corrected = values.normalise(spec.type, value).value if not spec.is_mark else value
                if corrected == fields[name]["value"]:
                    continue
                session.add(Correction(submission_id=row.id, field=name,
                                       read_value=fields[name]["value"], corrected_value=corrected,
                                       officer=principal.actor))
                fields[name].update(value=corrected, confidence=1.0)
            current = {name: stored["value"] for name, stored in fields.items()}
            for spec in template.fields:
                if spec.name in fields:
                    fields[spec.name]["errors"] = [
                        {"message": m, "params": p}
                        for m, p in values.validate(spec.type, current[spec.name], spec.validators, current)]
            invalid = sorted(name for name, stored in fields.items() if stored["errors"])
            if decision == "approve" and invalid:
                raise ValidationFailed(N_("These fields are still invalid: {fields}."),
                                       fields=", ".join(invalid))
            for name in fields:
                fields[name]["confidence"] = 1.0
            row.fields = fields
            row.status = "accepted" if decision == "approve" else "rejected"
            row.reviewed_by, row.reviewed_at, row.review_note = principal.actor, utcnow(), note[:2000]
            audit.record(session, actor=principal.actor, action=f"forms.review.{decision}",
                         target=row.reference, org=row.org,
                         detail={"corrected": sorted(corrections), "status": row.status})
            return {"reference": row.reference, "status": row.status,
                    "corrected": sorted(k for k in corrections)}

    def export_corrections(self, principal: Principal, org: str) -> str:
        """Corrections as JSON lines (read value, corrected value, field type and the image
        crop while it is still kept): training data for better OCR and matching."""
        if not principal.has_role(org, *REVIEWERS):
            raise Forbidden()
        lines = []
        with self.db.transaction() as session:
            rows = session.execute(
                select(Correction, Submission).join(Submission)
                .where(Submission.org == org).order_by(Correction.id)).all()
            for correction, submission in rows:
                stored = submission.fields.get(correction.field, {})
                crop = None
                if submission.image is not None and stored.get("bbox"):
                    crop = base64.b64encode(self._crop_png(submission.image, stored["bbox"])).decode()
                lines.append(json.dumps({
                    "template": submission.template, "version": submission.template_version,
                    "field": correction.field,
                    "type": templates.load(submission.template).field(correction.field).type,
                    "read": correction.read_value, "corrected": correction.corrected_value,
                    "raw_ocr": stored.get("raw", ""), "crop_png_base64": crop,
                    "corrected_at": correction.created_at.isoformat(),
                }, ensure_ascii=False))
            audit.record(session, actor=principal.actor, action="forms.export_corrections",
                         target=org, org=org, detail={"rows": len(lines)})
        return "\n".join(lines) + ("\n" if lines else "")


def purge_expired(db: Database) -> dict[str, int]:
    """Retention: delete page images and read values of submissions past their date; the
    status and reference stay so the applicant can still see the outcome."""
    now = utcnow()
    with db.transaction() as session:
        rows = list(session.scalars(select(Submission).where(
            Submission.purge_after <= now, Submission.image.is_not(None))))
        for row in rows:
            row.image = None
            row.fields = {name: {**stored, "value": "", "raw": "", "bbox": None}
                          for name, stored in row.fields.items()}
        audit.record(session, actor="system", action="forms.purge", target="forms_submissions",
                     detail={"purged": len(rows)})
    return {"purged": len(rows)}
