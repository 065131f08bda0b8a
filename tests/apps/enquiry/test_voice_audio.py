"""Decoding recordings: every accepted format and rate, and every kind of bad upload."""

from __future__ import annotations

import io
from functools import cache

import numpy as np
import pytest
import soundfile

from aiplus.apps.enquiry.voice import AUDIO_TYPES, decode_audio
from aiplus.apps.enquiry.voice.audio import TARGET_RATE, sniff_format
from aiplus.apps.enquiry.voice.recordings import FORMATS, encode, resample
from aiplus.apps.enquiry.voice.synthesis import VoiceSynthesiser
from aiplus.core.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType

pytestmark = pytest.mark.nodb


@cache
def spoken() -> tuple[np.ndarray, int]:
    """A short English question read by Piper, as float samples and their rate."""
    wav = VoiceSynthesiser().speak("Where can I pay my water bill?", "en")
    samples, rate = soundfile.read(io.BytesIO(wav), dtype="float32")
    return samples, rate


@pytest.mark.parametrize("rate", [8_000, 16_000, 44_100, 48_000])
@pytest.mark.parametrize("fmt", FORMATS)
def test_decodes_every_format_and_rate_to_16k_mono(fmt: str, rate: int) -> None:
    samples, source = spoken()
    data = encode(resample(samples, source, rate), rate, fmt)
    audio = decode_audio(data)
    expected_seconds = len(samples) / source
    assert audio.format == fmt
    # Opus (in WebM) always decodes at 48 kHz; the other codecs keep the recording's own rate.
    assert audio.source_rate == (48_000 if fmt == "webm" else rate)
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert np.abs(audio.samples).max() <= 1.0
    assert audio.duration == pytest.approx(expected_seconds, abs=0.15)
    assert len(audio.samples) == pytest.approx(audio.duration * TARGET_RATE, abs=1)


def test_stereo_recording_is_mixed_to_mono() -> None:
    samples, rate = spoken()
    buffer = io.BytesIO()
    soundfile.write(buffer, np.stack([samples, samples * 0.5], axis=1), rate, format="WAV")
    audio = decode_audio(buffer.getvalue())
    assert audio.samples.ndim == 1
    assert audio.duration == pytest.approx(len(samples) / rate, abs=0.01)


def test_format_comes_from_the_bytes_not_the_declared_type() -> None:
    samples, rate = spoken()
    assert sniff_format(encode(samples, rate, "ogg")) == "ogg"
    assert sniff_format(b"\x89PNG\r\n\x1a\n" + bytes(100)) is None
    assert {"audio/wav", "audio/mpeg", "audio/ogg", "audio/webm", "video/webm"} <= AUDIO_TYPES


def test_empty_upload_is_a_bad_request() -> None:
    with pytest.raises(BadRequest, match="could not be read"):
        decode_audio(b"")


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(200),
    "請問點樣續領身份證？ This is text, not audio.".encode(),
    b"%PDF-1.7\n" + bytes(50),
])
def test_non_audio_is_unsupported_media(data: bytes) -> None:
    with pytest.raises(UnsupportedMediaType) as caught:
        decode_audio(data)
    assert caught.value.status_code == 415
    assert "WAV, MP3, Ogg or WebM" in str(caught.value)


@pytest.mark.parametrize("fmt", ["wav", "ogg", "webm", "mp3"])
def test_corrupt_recording_is_a_bad_request_not_a_crash(fmt: str) -> None:
    samples, rate = spoken()
    data = bytearray(encode(samples, rate, fmt))
    header = 12 if fmt == "wav" else 4  # keep only the magic bytes, so sniffing still passes
    garbage = np.random.default_rng(7).integers(0, 256, len(data) - header, dtype=np.uint8)
    data[header:] = garbage.tobytes()
    with pytest.raises(BadRequest):
        decode_audio(bytes(data))


def test_truncated_wav_header_is_a_bad_request() -> None:
    samples, rate = spoken()
    with pytest.raises(BadRequest, match="could not be read"):
        decode_audio(encode(samples, rate, "wav")[:30])


@pytest.mark.parametrize("fmt", ["wav", "ogg"])
def test_silence_is_refused(fmt: str) -> None:
    with pytest.raises(BadRequest, match="No speech was heard"):
        decode_audio(encode(np.zeros(16_000 * 3, dtype=np.float32), 16_000, fmt))


def test_faint_hiss_is_refused_as_silence() -> None:
    hiss = np.random.default_rng(1).normal(0, 0.002, 16_000 * 3).astype(np.float32)
    with pytest.raises(BadRequest, match="No speech was heard"):
        decode_audio(encode(hiss, 16_000, "wav"))


def test_too_long_recording_names_the_limit() -> None:
    samples, rate = spoken()  # 1.5-1.7 s: Piper's durations vary from run to run
    with pytest.raises(PayloadTooLarge, match="limit of 1.2 seconds"):
        decode_audio(encode(samples, rate, "mp3"), max_seconds=1.2)
    assert decode_audio(encode(samples, rate, "mp3"), max_seconds=30).duration > 1.2


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_recording_just_over_the_limit_is_refused(fmt: str) -> None:
    """10 ms over the limit is over the limit, whatever the decoder and resampler hold back."""
    samples, rate = spoken()
    length = len(samples) / rate
    with pytest.raises(PayloadTooLarge):
        decode_audio(encode(samples, rate, fmt), max_seconds=length - 0.01)


@pytest.mark.parametrize("rate", [4_000, 96_000])
def test_sample_rate_outside_8_to_48_khz_is_refused(rate: int) -> None:
    tone = 0.3 * np.sin(2 * np.pi * 300 * np.arange(rate) / rate)
    with pytest.raises(BadRequest, match=f"{rate} Hz is outside"):
        decode_audio(encode(tone.astype(np.float32), rate, "wav"))
