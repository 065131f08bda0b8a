"""Voice enquiries: recording -> speech recognition -> subject -> answer -> SMS and/or voice
message, and the SMS outbox that stands behind the pluggable gateway interface.

Every check that can fail runs before anything is written; the recording and the voice
reply are written to the file store just before the one transaction that records the call,
and removed again if that transaction fails, so a failed call leaves nothing behind.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiplus.apps.enquiry.answering import Enquiries
from aiplus.apps.enquiry.tables import SmsMessage, VoiceCall
from aiplus.apps.enquiry.privacy import mask_transcript
from aiplus.apps.enquiry.service import KnowledgeBases
from aiplus.apps.enquiry.voice import (
    SmsPlan,
    SpeechRecogniser,
    VoiceSynthesiser,
    decode_audio,
    normalise_msisdn,
    plan_sms,
)
from aiplus.core.errors import NotFound, PayloadTooLarge, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.guard.pii import mask
from aiplus.platform.services import Platform

REPLY_MODES = ("sms", "voice", "both")


@lru_cache(maxsize=1)
def recogniser() -> SpeechRecogniser:
    return SpeechRecogniser()


@lru_cache(maxsize=1)
def synthesiser() -> VoiceSynthesiser:
    return VoiceSynthesiser()


def fitted_sms(text: str, max_parts: int) -> SmsPlan:
    """The SMS plan of ``text``, shortened with an ellipsis if it needs more than ``max_parts``
    (the full answer stays available from the call log and the voice reply)."""
    while True:
        try:
            return plan_sms(text, max_parts=max_parts)
        except ValueError:
            text = text[: int(len(text) * 0.9)].rstrip() + "…"


class OutboxGateway:
    """The SMS gateway used until a real one is plugged in: messages wait in the outbox table,
    written in the caller's transaction so an SMS exists exactly when its call does."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def send(self, to: str, plan: SmsPlan) -> str:
        message = SmsMessage(destination=to, destination_masked=mask("PHONE", to),
                             encoding=plan.encoding, parts=list(plan.parts),
                             characters=plan.characters)
        self.session.add(message)
        self.session.flush()
        return str(message.id)


class VoiceEnquiries:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.enquiries = Enquiries(platform)

    def handle(self, data: bytes, *, kb: str | None = None, phone: str | None = None,
               reply: str = "sms", actor: str = "anonymous") -> dict[str, Any]:
        settings = self.enquiries.settings
        if reply not in REPLY_MODES:
            raise ValidationFailed(N_("The reply mode must be sms, voice or both."))
        if reply != "voice" and not (phone or "").strip():
            raise ValidationFailed(N_("A phone number is needed for an SMS reply."))
        destination = normalise_msisdn(phone) if reply != "voice" else None
        if len(data) > settings.max_audio_bytes:
            raise PayloadTooLarge(limit=settings.max_audio_bytes)
        with self.platform.db.read() as session:
            KnowledgeBases.get(session, kb or settings.default_kb)
        audio = decode_audio(data, max_seconds=settings.max_audio_seconds)
        transcript = recogniser().transcribe(audio)
        decision = self.enquiries.decide(mask_transcript(transcript.text), kb=kb, channel="voice")
        if decision.subject is None:
            decision.subject = self.enquiries.kbs.models(decision.kb).classify(decision.question)
        plan = fitted_sms(decision.answer, settings.sms_max_parts) if destination else None
        speech = synthesiser().speak(decision.answer, decision.lang) if reply != "sms" else None
        reference = "C-" + secrets.token_hex(4).upper()
        keys = {"audio": f"enquiry/calls/{reference}/enquiry.{audio.format}"}
        if speech is not None:
            keys["voice"] = f"enquiry/calls/{reference}/reply.wav"
        try:
            self.platform.files.write_bytes(keys["audio"], data)
            if speech is not None:
                self.platform.files.write_bytes(keys["voice"], speech)
            with self.platform.db.transaction() as session:
                self.enquiries.commit(session, decision, actor=actor, remember=False)
                sms_id = OutboxGateway(session).send(destination, plan) if plan else None
                subject = decision.subject
                call = VoiceCall(
                    reference=reference, kb_id=KnowledgeBases.get(session, decision.kb).id,
                    audio_key=keys["audio"], audio_format=audio.format, duration=audio.duration,
                    transcript=mask_transcript(transcript.text), language=transcript.language,
                    asr_confidence=transcript.confidence,
                    category=subject.category if subject else None,
                    department=subject.department if subject else None,
                    faq_key=decision.faq_id, confidence=decision.retrieval.confidence,
                    reply_text=decision.answer, reply_mode=reply,
                    sms_id=int(sms_id) if sms_id else None, voice_key=keys.get("voice"),
                    handover_reference=decision.reference)
                session.add(call)
                session.flush()
                result = call.as_dict()
        except BaseException:
            for key in keys.values():
                self.platform.files.path(key).unlink(missing_ok=True)
            raise
        return {**result, "answer": decision.as_dict(), "sms": plan.parts if plan else None,
                "real_time_factor": round(transcript.real_time_factor, 3)}

    def voice_reply(self, reference: str) -> bytes:
        with self.platform.db.read() as session:
            call = session.scalar(select(VoiceCall).where(VoiceCall.reference == reference))
            if call is None or call.voice_key is None:
                raise NotFound(N_("This call has no voice reply."))
            return self.platform.files.read_bytes(call.voice_key)
