"""Voice enquiries end to end: a spoken question (synthesised here with the voice package)
goes through speech recognition, the answer and an SMS in the outbox and a voice reply; bad
recordings are refused with nothing stored."""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import pytest
import soundfile
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from aiplus.apps.enquiry.tables import Handover, SmsMessage, VoiceCall
from aiplus.apps.enquiry.settings import enquiry_settings
from aiplus.apps.enquiry.voice import VoiceSynthesiser
from aiplus.core.settings import Settings
from aiplus.platform.services import Platform
from tests.apps.enquiry.conftest import Team, csrf_of

QUESTION = "How do I register the birth of my baby?"
PHONE = "9123 4567"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings with room for a few seconds of speech in one request."""
    return settings.model_copy(update={"max_body_bytes": 1024 * 1024})


@lru_cache(maxsize=1)
def spoken_question() -> bytes:
    """The question read by Piper (a WAV file, as a phone system would record it)."""
    return VoiceSynthesiser().speak(QUESTION, "en")


def _ogg(samples: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format="OGG", subtype="VORBIS")
    return buffer.getvalue()


def _wav(samples: np.ndarray, rate: int = 16_000) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def _post(client: TestClient, data: bytes, name: str = "call.wav", **form: str):  # type: ignore[no-untyped-def]
    return client.post("/api/enquiry/voice", files={"file": (name, io.BytesIO(data), "audio/wav")},
                       data=form, headers={"X-CSRF-Token": csrf_of(client)})


def _stored(platform: Platform) -> tuple[int, int, int]:
    with platform.db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                     for m in (VoiceCall, SmsMessage, Handover))


def test_voice_enquiry_is_answered_by_sms_and_voice(kb: str, team: Team, client: TestClient,
                                                    enquiry_platform: Platform) -> None:
    response = _post(client, spoken_question(), phone=PHONE, reply="both")
    assert response.status_code == 200, response.text
    call = response.json()
    assert "birth" in call["transcript"].lower()
    assert call["answer"]["faq_id"] == "bm-birth-register"
    assert call["category"] == "births-marriages" and call["department"] == "ImmD"
    assert call["sms"] and "".join(call["sms"]) == call["reply"]

    outbox = client.get("/api/enquiry/outbox", headers=team.officer.headers).json()["messages"]
    assert len(outbox) == 1 and outbox[0]["to"] != "+85291234567" and "*" in outbox[0]["to"]
    assert outbox[0]["encoding"] == "GSM-7"  # plain English fits the 7-bit alphabet
    assert "".join(outbox[0]["parts"]) == call["reply"]
    # 153 septets per part once a message is split (the concatenation header takes the rest).
    assert len(outbox[0]["parts"]) == max(1, -(-len(call["reply"]) // 153))
    assert all(len(part) <= 153 for part in outbox[0]["parts"])
    with enquiry_platform.db.read() as session:
        stored = session.scalar(select(SmsMessage))
        assert stored is not None and stored.destination == "+85291234567"

    audio = client.get(f"/api/enquiry/calls/{call['reference']}/reply.wav")
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
    log = client.get("/api/enquiry/calls", headers=team.officer.headers).json()["calls"]
    assert [c["reference"] for c in log] == [call["reference"]]


def test_transcripts_are_stored_masked(kb: str, enquiry_platform: Platform,
                                       client: TestClient) -> None:
    said = "My phone is 9123 4567 and my card is A123456(3). " + QUESTION
    samples, rate = soundfile.read(io.BytesIO(VoiceSynthesiser().speak(said, "en")))
    response = _post(client, _ogg(samples, rate), name="call.ogg", reply="voice")
    assert response.status_code == 200, response.text
    with enquiry_platform.db.read() as session:
        call = session.scalar(select(VoiceCall))
    assert call is not None and "123456" not in call.transcript
    assert "4567" not in call.transcript.replace(" ", "")


@pytest.mark.parametrize(("data", "form", "status"), [
    (b"", {"reply": "voice"}, 400),
    (b"not audio at all, just text", {"reply": "voice"}, 415),
    (b"RIFF\x00\x00\x00\x00WAVEfmt garbage", {"reply": "voice"}, 400),
    (_wav(np.zeros(16_000 * 2)), {"reply": "voice"}, 400),
    (None, {"reply": "sms"}, 422),  # an SMS reply needs a phone number
    (None, {"reply": "sms", "phone": "12"}, 400),
    (None, {"reply": "fax"}, 422),
    (None, {"reply": "voice", "kb": "no-such-kb"}, 404),
])
def test_bad_recordings_and_requests_store_nothing(data: bytes | None, form: dict[str, str],
                                                   status: int, kb: str, client: TestClient,
                                                   enquiry_platform: Platform) -> None:
    response = _post(client, spoken_question() if data is None else data, **form)
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]
    assert _stored(enquiry_platform) == (0, 0, 0)


def test_recording_over_the_configured_length_is_refused(
        kb: str, client: TestClient, enquiry_platform: Platform,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enquiry_settings(), "max_audio_seconds", 1.0)
    response = _post(client, spoken_question(), reply="voice")
    assert response.status_code == 413 and "1" in response.json()["error"]["message"]
    assert _stored(enquiry_platform) == (0, 0, 0)
