"""Recordings in, 16 kHz mono float samples out, with every bad upload refused up front.

Callers' phones and browsers send WAV, MP3, Ogg or WebM at whatever rate they like. Speech
recognition wants 16 kHz mono, so this module is the one boundary where bytes become samples:
the format is sniffed from the bytes themselves (a file name or a declared type can lie), PyAV
decodes and resamples, and decoding stops as soon as the recording passes the length limit so
a long upload never costs the whole decode. Anything we cannot use raises a platform error with
a bilingual message, before anything is stored.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import av
import numpy as np

from aiplus.core.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from aiplus.core.i18n import N_

TARGET_RATE = 16_000
MIN_SOURCE_RATE = 8_000
MAX_SOURCE_RATE = 48_000

AUDIO_TYPES: frozenset[str] = frozenset({
    "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave",
    "audio/mpeg", "audio/mp3",
    "audio/ogg", "application/ogg",
    "audio/webm", "video/webm",
})
"""Media types the voice endpoint accepts; the bytes are still sniffed, whatever is declared."""

FRAME_SECONDS = 0.03
VOICED_FRAME_RMS = 0.01
"""A 30 ms frame counts as sound when its RMS reaches -40 dBFS (quiet telephone speech sits
around -30 to -20 dBFS; line noise and digital silence well below)."""
MIN_VOICED_SECONDS = 0.25

UNREADABLE = N_("The recording could not be read. Please send a WAV, MP3, Ogg or WebM audio file.")
WRONG_FORMAT = N_("This file is not a supported recording. Please send WAV, MP3, Ogg or WebM audio.")
BAD_RATE = N_("The recording's sample rate of {rate} Hz is outside the accepted range of 8,000 "
              "to 48,000 Hz.")
TOO_LONG = N_("The recording is longer than the limit of {limit} seconds. Please keep your "
              "enquiry shorter.")
SILENT = N_("No speech was heard in the recording. Please speak clearly and try again.")


@dataclass(frozen=True)
class Audio:
    """A decoded recording ready for speech recognition."""

    samples: np.ndarray
    """float32 mono at 16 kHz, in [-1, 1]."""
    source_rate: int
    duration: float
    format: str
    """"wav" | "mp3" | "ogg" | "webm": what the bytes really were."""


def sniff_format(data: bytes) -> str | None:
    """The container the bytes really hold, from their magic numbers, or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:4] == b"OggS":
        return "ogg"
    if data[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM (and Matroska, which browsers never send)
        return "webm"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def decode_audio(data: bytes, *, max_seconds: float = 60.0) -> Audio:
    """Decode, check and resample a recording; raise a platform error for anything unusable."""
    if not data:
        raise BadRequest(UNREADABLE)
    kind = sniff_format(data)
    if kind is None:
        raise UnsupportedMediaType(WRONG_FORMAT)
    samples, source_rate = _decode(data, max_seconds)
    duration = len(samples) / TARGET_RATE
    if duration == 0:
        raise BadRequest(UNREADABLE)
    if not is_audible(samples):
        raise BadRequest(SILENT)
    return Audio(samples=samples, source_rate=source_rate, duration=duration, format=kind)


def _decode(data: bytes, max_seconds: float) -> tuple[np.ndarray, int]:
    """Samples at 16 kHz mono and the source rate; stops decoding once past ``max_seconds``."""
    limit = int(max_seconds * TARGET_RATE)
    chunks: list[np.ndarray] = []
    decoded = 0
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise BadRequest(UNREADABLE)
            stream = container.streams.audio[0]
            source_rate = int(stream.codec_context.sample_rate or 0)
            if not MIN_SOURCE_RATE <= source_rate <= MAX_SOURCE_RATE:
                raise BadRequest(BAD_RATE, rate=source_rate)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=TARGET_RATE)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    decoded += len(chunk)
                if decoded > limit:
                    raise PayloadTooLarge(TOO_LONG, limit=_seconds(max_seconds))
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    except (av.FFmpegError, ValueError, IndexError, EOFError) as error:
        raise BadRequest(UNREADABLE) from error
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if len(samples) > limit:
        raise PayloadTooLarge(TOO_LONG, limit=_seconds(max_seconds))
    samples = np.clip(np.nan_to_num(samples.astype(np.float32, copy=False)), -1.0, 1.0)
    return samples, source_rate


def _seconds(value: float) -> str:
    return f"{value:g}"


def is_audible(samples: np.ndarray, rate: int = TARGET_RATE) -> bool:
    """True when at least a quarter second of 30 ms frames carries sound above -40 dBFS.

    A frame count rather than one RMS over the whole file, so a short question inside a long
    quiet recording still passes while digital silence and faint hiss do not.
    """
    size = int(FRAME_SECONDS * rate)
    whole = len(samples) // size
    if whole == 0:
        return False
    frames = samples[: whole * size].reshape(whole, size).astype(np.float64)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    return bool(np.count_nonzero(rms >= VOICED_FRAME_RMS) * FRAME_SECONDS >= MIN_VOICED_SECONDS)
