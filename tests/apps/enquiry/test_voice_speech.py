"""Real recognition and synthesis round trips (the whisper model loads once for the module).

The Cantonese check is deliberately modest: espeak-ng's ``yue`` voice is robotic and whisper
base recognises it poorly (the benchmark measures how poorly), so the test asserts what holds
reliably: Chinese characters in Traditional script, reported as Cantonese, sharing characters
with what was said. Real callers need a real Cantonese test set.
"""

from __future__ import annotations

import io
import logging
import re

import numpy as np
import opencc
import pytest
import soundfile

from aiplus.apps.enquiry.voice import SpeechRecogniser, VoiceSynthesiser, decode_audio
from aiplus.apps.enquiry.voice.recordings import encode, resample
from aiplus.core.errors import BadRequest

pytestmark = pytest.mark.nodb

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def recogniser() -> SpeechRecogniser:
    return SpeechRecogniser()


@pytest.fixture(scope="module")
def voice() -> VoiceSynthesiser:
    return VoiceSynthesiser()


def test_english_question_read_by_piper_over_a_phone_line_is_transcribed(
        recogniser: SpeechRecogniser, voice: VoiceSynthesiser) -> None:
    wav = voice.speak("How do I apply for public housing in Sha Tin?", "en")
    samples, rate = soundfile.read(io.BytesIO(wav), dtype="float32")
    audio = decode_audio(encode(resample(samples, rate, 8_000), 8_000, "mp3"))  # phone quality
    transcript = recogniser.transcribe(audio)
    words = set(re.findall(r"[a-z]+", transcript.text.lower()))
    assert {"apply", "public", "housing"} <= words
    assert transcript.language == "en"
    assert 0.3 < transcript.confidence <= 1.0
    assert transcript.real_time_factor == pytest.approx(transcript.seconds / audio.duration)


def test_cantonese_read_by_espeak_comes_back_as_traditional_chinese(
        recogniser: SpeechRecogniser, voice: VoiceSynthesiser) -> None:
    said = "請問點樣續領香港身份證？"
    audio = decode_audio(voice.speak(said, "yue"))
    transcript = recogniser.transcribe(audio, language="yue")
    assert transcript.language == "yue"
    assert len(CJK.findall(transcript.text)) >= 3
    assert opencc.OpenCC("s2hk").convert(transcript.text) == transcript.text
    assert set(CJK.findall(transcript.text)) & set(said), transcript.text


def test_language_hint_is_checked(recogniser: SpeechRecogniser, voice: VoiceSynthesiser) -> None:
    audio = decode_audio(voice.speak("Hello.", "en"))
    with pytest.raises(ValueError, match="language"):
        recogniser.transcribe(audio, language="fr")


def test_a_tone_with_no_words_is_reported_as_no_speech(recogniser: SpeechRecogniser) -> None:
    tone = (0.3 * np.sin(2 * np.pi * 1000 * np.arange(16_000 * 2) / 16_000)).astype(np.float32)
    with pytest.raises(BadRequest, match="No speech was heard"):
        recogniser.transcribe(decode_audio(encode(tone, 16_000, "wav")))


def test_personal_data_said_by_the_caller_is_masked_in_the_log(
        recogniser: SpeechRecogniser, voice: VoiceSynthesiser,
        caplog: pytest.LogCaptureFixture) -> None:
    audio = decode_audio(voice.speak("Please call me back on 9123 4567.", "en"))
    with caplog.at_level(logging.INFO, logger="aiplus.apps.enquiry.voice.speech"):
        transcript = recogniser.transcribe(audio)
    digits = re.sub(r"\D", "", transcript.text)
    assert "91234567" in digits, transcript.text  # the number was heard...
    logged = [r.__dict__["text"] for r in caplog.records if "text" in r.__dict__]
    assert logged and all("91234567" not in re.sub(r"\D", "", t) for t in logged)  # ...not kept


def test_voice_replies_are_complete_wav_files(voice: VoiceSynthesiser) -> None:
    for text, lang in (("Your enquiry has been received.", "en"), ("你的查詢已經收到。", "zh-Hant")):
        info = soundfile.info(io.BytesIO(voice.speak(text, lang)))
        assert info.format == "WAV" and info.channels == 1 and 0.5 < info.duration < 10


def test_voice_reply_refuses_empty_overlong_or_unknown_language(voice: VoiceSynthesiser) -> None:
    with pytest.raises(BadRequest):
        voice.speak("   ", "en")
    with pytest.raises(BadRequest, match="limit of 2000 characters"):
        voice.speak("a" * 2001, "en")
    with pytest.raises(BadRequest, match="English and Chinese"):
        voice.speak("Bonjour", "fr")
    # Text that looks like a command-line option is read out, not obeyed.
    assert soundfile.info(io.BytesIO(voice.speak("--help 你好", "yue"))).duration > 0.3
