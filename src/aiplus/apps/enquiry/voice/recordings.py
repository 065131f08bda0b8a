"""Make recordings in every accepted format and rate from samples, as a caller's device would.

The benchmark and the tests feed these bytes through :func:`decode_audio`, so they exercise the
same path as a real upload instead of handing arrays straight to the recogniser. WAV, Ogg
Vorbis and MP3 are written by libsndfile; WebM holds Opus (as browsers' MediaRecorder sends),
which codes at 8, 12, 16, 24 or 48 kHz, so other rates are carried at 48 kHz.
"""

from __future__ import annotations

import io

import av
import numpy as np
import soundfile

FORMATS = ("wav", "mp3", "ogg", "webm")
_SOUNDFILE = {"wav": ("WAV", "PCM_16"), "ogg": ("OGG", "VORBIS"), "mp3": ("MP3", "MPEG_LAYER_III")}
_OPUS_RATES = (8_000, 12_000, 16_000, 24_000, 48_000)


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Mono float32 ``samples`` at ``rate`` resampled to ``target`` Hz (FFmpeg's swresample)."""
    if rate == target:
        return samples.astype(np.float32)
    return _through(av.AudioResampler(format="flt", layout="mono", rate=target),
                    _frame(samples, rate))


def encode(samples: np.ndarray, rate: int, fmt: str) -> bytes:
    """A complete ``fmt`` file ("wav", "mp3", "ogg" or "webm") of mono float ``samples``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    buffer = io.BytesIO()
    if fmt in _SOUNDFILE:
        container, subtype = _SOUNDFILE[fmt]
        soundfile.write(buffer, samples.astype(np.float32), rate, format=container,
                        subtype=subtype)
        return buffer.getvalue()
    coded_rate = rate if rate in _OPUS_RATES else 48_000
    with av.open(buffer, "w", format="webm") as container:
        stream = container.add_stream("libopus", rate=coded_rate, layout="mono")
        codec = stream.codec_context
        resampler = av.AudioResampler(format=codec.format.name, layout="mono", rate=coded_rate,
                                      frame_size=codec.frame_size or None)
        frames = resampler.resample(_frame(samples, rate)) + resampler.resample(None)
        for frame in [*frames, None]:
            for packet in stream.encode(frame):
                container.mux(packet)
    return buffer.getvalue()


def _frame(samples: np.ndarray, rate: int) -> av.AudioFrame:
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1), format="flt",
        layout="mono")
    frame.sample_rate = rate
    return frame


def _through(resampler: av.AudioResampler, frame: av.AudioFrame) -> np.ndarray:
    frames = resampler.resample(frame) + resampler.resample(None)
    return np.concatenate([f.to_ndarray().reshape(-1) for f in frames]).astype(np.float32)
