"""Offline speech recognition of enquiries with faster-whisper (multilingual "base", CPU int8).

Why these settings: 1823 callers speak English, Cantonese or Mandarin, so the multilingual
model; int8 on CPU because the service runs without a GPU; greedy decoding with at most one
temperature fallback and a ban on repeated trigrams because the full fallback ladder turns
unclear audio into ten seconds of "點點點..." (measured: real-time factor above 2), while beam
search buys little on short questions (see ``bench.py``). Whisper writes Chinese in Simplified
characters about as often as Traditional, so Chinese text always goes through OpenCC ``s2hk``.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import opencc
from faster_whisper import WhisperModel

from aiplus.apps.enquiry.voice.audio import SILENT, Audio
from aiplus.apps.enquiry.voice.redaction import redact
from aiplus.core.errors import BadRequest
from aiplus.models.assets import WHISPER_BASE, ensure

log = logging.getLogger(__name__)

LANGUAGES = ("en", "zh-Hant", "yue")
"""Languages a caller may speak (hints and results)."""
_WHISPER_CODE = {"en": "en", "zh-Hant": "zh", "yue": "yue"}
TRADITIONAL_PROMPT = "繁體中文。"
"""Whisper continues in the script of its prompt, so this nudges it towards Traditional. Kept
to two words: a sentence-long prompt gets echoed back as the "transcript" of unclear audio."""


@dataclass(frozen=True)
class Transcript:
    """What the caller said, in which language, and how sure and how fast the model was."""

    text: str
    language: str
    """"en" | "zh-Hant" | "yue"."""
    confidence: float
    """exp(mean segment avg_logprob), in [0, 1]: a ranking signal, not a calibrated probability."""
    seconds: float
    real_time_factor: float


WINDOW_TOKENS = 200
"""Whisper decodes at most 448 tokens per 30 s window, prompt included; 200 leaves room."""


@dataclass(frozen=True)
class Decoding:
    """How to decode; the benchmark compares our settings with faster-whisper's defaults."""

    beam_size: int = 1
    temperature: tuple[float, ...] = (0.0, 0.4)
    no_repeat_ngram_size: int = 3
    vad_filter: bool = True

    tokens_per_second: int | None = 12
    """Cap on generated tokens per second of audio (None: no cap). Fast Cantonese is about six
    characters a second; without a cap unclear audio can run on for hundreds of tokens."""

    def options(self, duration: float) -> dict[str, Any]:
        cap = (None if self.tokens_per_second is None
               else min(WINDOW_TOKENS, 16 + int(self.tokens_per_second * min(duration, 30.0))))
        return {"beam_size": self.beam_size, "temperature": list(self.temperature),
                "max_new_tokens": cap,
                "no_repeat_ngram_size": self.no_repeat_ngram_size,
                "vad_filter": self.vad_filter, "condition_on_previous_text": False}


FAST = Decoding()
WHISPER_DEFAULTS = Decoding(beam_size=5, temperature=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
                            no_repeat_ngram_size=0, tokens_per_second=None)


_loading = threading.Lock()


@cache
def _model(model_dir: Path, threads: int) -> WhisperModel:
    """One model per folder and thread count per process: loading costs about a second."""
    return WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=threads)


@cache
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2hk")


class SpeechRecogniser:
    """Transcribes :class:`Audio`; the model loads on first use and is shared by the process."""

    def __init__(self, *, model_dir: Path | None = None, threads: int = 2,
                 decoding: Decoding = FAST) -> None:
        self.model_dir = model_dir
        self.threads = threads
        self.decoding = decoding

    @property
    def model(self) -> WhisperModel:
        with _loading:
            return _model(self.model_dir or ensure(WHISPER_BASE).parent, self.threads)

    def transcribe(self, audio: Audio, *, language: str | None = None) -> Transcript:
        """Transcribe ``audio``; ``language`` is a hint ("en", "zh-Hant", "yue") or None to detect.

        Raises BadRequest when nothing intelligible was heard, the same error as a silent upload.
        """
        if language is not None and language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES} or None, not {language!r}")
        model = self.model
        started = time.perf_counter()
        code = self._whisper_code(model, language) if language else None
        segments, info = self._run(model, audio, code)
        if code is None and info.language not in self._allowed(model):
            # Detection picked a language the service does not take (robotic or accented speech
            # is often heard as Thai or Japanese): decode again as the likeliest one it does.
            ranked = [lang for lang, _ in (info.all_language_probs or [])]
            code = next((lang for lang in ranked if lang in self._allowed(model)), "en")
            segments, info = self._run(model, audio, code)
        text = "".join(segment.text for segment in segments).strip()
        seconds = time.perf_counter() - started
        if not text:
            raise BadRequest(SILENT)
        spoken = code or info.language
        result = Transcript(
            text=_to_traditional().convert(text) if spoken in ("zh", "yue") else text,
            language=self._report(spoken, language),
            confidence=_confidence([segment.avg_logprob for segment in segments]),
            seconds=seconds,
            real_time_factor=seconds / audio.duration,
        )
        log.info("voice enquiry transcribed", extra={
            "language": result.language, "seconds": round(seconds, 3),
            "real_time_factor": round(result.real_time_factor, 3),
            "confidence": round(result.confidence, 3), "text": redact(result.text)})
        return result

    def _run(self, model: WhisperModel, audio: Audio, code: str | None) -> tuple[list[Any], Any]:
        prompt = TRADITIONAL_PROMPT if code in ("zh", "yue") else None
        segments, info = model.transcribe(audio.samples, language=code, initial_prompt=prompt,
                                          **self.decoding.options(audio.duration))
        return list(segments), info

    @staticmethod
    def _allowed(model: WhisperModel) -> set[str]:
        # Models before large-v3 have 99 languages and no Cantonese token worth using.
        return {"en", "zh", "yue"} if model.model.num_languages >= 100 else {"en", "zh"}

    def _whisper_code(self, model: WhisperModel, language: str) -> str:
        code = _WHISPER_CODE[language]
        return code if code in self._allowed(model) else "zh"

    @staticmethod
    def _report(spoken: str, hint: str | None) -> str:
        if spoken == "en":
            return "en"
        return "yue" if spoken == "yue" or hint == "yue" else "zh-Hant"


def _confidence(logprobs: list[float]) -> float:
    if not logprobs:
        return 0.0
    return min(1.0, max(0.0, math.exp(sum(logprobs) / len(logprobs))))
