"""What officers see and do in the console: the hand-over queue, the call log, the SMS outbox
and the unanswered-question analytics that show which FAQs are missing.

Each view holds only the knowledge bases of organisations where the officer works.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aiplus.apps.enquiry.tables import (
    Handover,
    HandoverStatus,
    KnowledgeBase,
    SmsMessage,
    VoiceCall,
)
from aiplus.core import audit
from aiplus.core.db import utcnow
from aiplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.platform.services import Platform

MAX_REPLY = 5000
PAGE = 200


def _kb_ids(session: Session, principal: Principal) -> list[int]:
    """The knowledge bases whose organisation ``principal`` is an officer (or reviewer) of."""
    return [kb.id for kb in session.scalars(select(KnowledgeBase))
            if principal.has_role(kb.org, Role.OFFICER, Role.REVIEWER)]


class Console:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def handovers(self, principal: Principal, status: str | None = "open") -> list[dict[str, Any]]:
        with self.platform.db.read() as session:
            query = select(Handover).where(Handover.kb_id.in_(_kb_ids(session, principal)))
            if status:
                query = query.where(Handover.status == status)
            rows = session.scalars(query.order_by(Handover.created_at.desc()).limit(PAGE))
            return [row.as_dict() for row in rows]

    def handle(self, principal: Principal, reference: str, *, reply: str = "",
               close: bool = False) -> dict[str, Any]:
        """Answer a hand-over (the reply goes to the asker through the channel it came by) or
        close it without an answer (e.g. a duplicate)."""
        reply = reply.strip()
        if not close and not reply:
            raise ValidationFailed(N_("Write a reply, or close the hand-over."))
        if len(reply) > MAX_REPLY:
            raise ValidationFailed(N_("A reply may be at most 5,000 characters."))
        with self.platform.db.transaction() as session:
            row = session.scalar(select(Handover).where(Handover.reference == reference))
            if row is None:
                raise NotFound(N_("There is no hand-over {reference}."), reference=reference)
            if not principal.has_role(row.kb.org, Role.OFFICER):
                raise Forbidden()
            if row.status != HandoverStatus.OPEN.value:
                raise Conflict(N_("This hand-over has already been dealt with."))
            row.status = (HandoverStatus.CLOSED if close else HandoverStatus.ANSWERED).value
            row.reply, row.handled_by, row.handled_at = reply, principal.actor, utcnow()
            audit.record(session, actor=principal.actor, org=row.kb.org,
                         action=f"enquiry.handover.{row.status}", target=reference)
            return row.as_dict()

    def calls(self, principal: Principal) -> list[dict[str, Any]]:
        with self.platform.db.read() as session:
            rows = session.scalars(
                select(VoiceCall).where(VoiceCall.kb_id.in_(_kb_ids(session, principal)))
                .order_by(VoiceCall.created_at.desc()).limit(PAGE))
            return [row.as_dict() for row in rows]

    def outbox(self, principal: Principal) -> list[dict[str, Any]]:
        with self.platform.db.read() as session:
            rows = session.scalars(
                select(SmsMessage).join(VoiceCall, VoiceCall.sms_id == SmsMessage.id)
                .where(VoiceCall.kb_id.in_(_kb_ids(session, principal)))
                .order_by(SmsMessage.created_at.desc()).limit(PAGE))
            return [row.as_dict() for row in rows]

    def unanswered(self, principal: Principal) -> dict[str, Any]:
        """Hand-overs grouped by normalised question and by predicted subject, most asked
        first: the questions new FAQs should answer."""
        with self.platform.db.read() as session:
            kb_ids = _kb_ids(session, principal)
            scope = Handover.kb_id.in_(kb_ids)
            questions = session.execute(
                select(Handover.question_key, func.count(), func.min(Handover.question),
                       func.max(Handover.created_at))
                .where(scope).group_by(Handover.question_key)
                .order_by(func.count().desc(), Handover.question_key).limit(50)).all()
            subjects = session.execute(
                select(Handover.category, Handover.department, func.count()).where(scope)
                .group_by(Handover.category, Handover.department)
                .order_by(func.count().desc())).all()
            total = session.scalar(select(func.count()).select_from(Handover).where(scope)) or 0
        return {
            "total": total,
            "questions": [{"question": example, "count": count, "last": last.isoformat()}
                          for _key, count, example, last in questions],
            "subjects": [{"category": category, "department": department, "count": count}
                         for category, department, count in subjects],
        }
