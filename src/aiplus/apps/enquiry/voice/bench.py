"""Benchmark: voice-enquiry recognition quality and speed, beside a baseline in the same run.

We synthesise the callers ourselves (Piper's joe-us voice for English, espeak-ng ``yue`` for
Cantonese), send each through a real recording at 8 kHz (telephone) and 16 kHz, plus one
English recording with added noise at 10 dB SNR, then transcribe it with our decoding (greedy,
one temperature fallback, no repeated trigrams) and with faster-whisper's defaults (beam 5, full
temperature ladder) on the same model. English is scored by word error rate, Chinese by
character error rate after OpenCC ``t2s`` on both sides, ignoring punctuation. The SMS planner
is checked against hand-counted cases. Goal: mean real-time factor < 0.5 and English WER
<= 10% for our decoding, and every SMS case right.

Call it directly (the enquiry app may also register it)::

    python -c "from aiplus.apps.enquiry.voice.bench import run_voice_bench as r; print(r(quick=True))"
"""

from __future__ import annotations

import io
import re
import statistics
from typing import Any

import numpy as np
import opencc
import soundfile

from aiplus.apps.enquiry.voice.audio import decode_audio
from aiplus.apps.enquiry.voice.recordings import encode, resample
from aiplus.apps.enquiry.voice.sms import plan_sms
from aiplus.apps.enquiry.voice.speech import FAST, WHISPER_DEFAULTS, Decoding, SpeechRecogniser
from aiplus.apps.enquiry.voice.synthesis import VoiceSynthesiser
from aiplus.core.errors import BadRequest
from aiplus.platform.registry import Benchmark

GOAL_RTF = 0.5
GOAL_WER = 0.10

ENGLISH = (
    "How do I renew my Hong Kong identity card? I lost my old one last week.",
    "The street light outside my building in Mong Kok has been broken for three days.",
    "I would like to report a water leak from the flat above my kitchen ceiling.",
    "When does the public swimming pool in Sha Tin open during the summer holidays?",
    "Can I pay my rates and government rent online with a credit card?",
    "There is rubbish piling up at the bus stop on Nathan Road. Please send someone.",
)
CANTONESE = (
    "請問點樣續領香港身份證？",
    "我想查詢公共屋邨嘅申請資格。",
    "旺角街燈壞咗三日喇。",
    "沙田游泳池幾點開門？",
)
SMS_CASES: tuple[tuple[str, str, tuple[int, ...], int], ...] = (
    # text, encoding, part lengths in characters, units (all counted by hand)
    ("a" * 160, "GSM-7", (160,), 160),
    ("a" * 161, "GSM-7", (153, 8), 161),
    ("€" * 80, "GSM-7", (80,), 160),
    ("a" * 152 + "€b", "GSM-7", (154,), 155),
    ("a" * 152 + "€" + "b" * 10, "GSM-7", (152, 11), 164),
    ("查" * 70, "UCS-2", (70,), 70),
    ("查" * 71, "UCS-2", (67, 4), 71),
    ("好" * 66 + "😀好", "UCS-2", (68,), 69),
    ("好" * 66 + "😀" + "好" * 5, "UCS-2", (66, 6), 73),
    ("Hello 你好", "UCS-2", (8,), 8),
)
NOTES = (
    "All speech is synthetic: Piper's joe-us voice and espeak-ng's robotic Cantonese are not real "
    "callers with accents, background noise, code-switching and telephone codecs. Cantonese "
    "figures mostly measure how badly whisper base hears espeak-ng, not real Cantonese speech. "
    "Timings are on this machine's shared CPU cores; short utterances pay whisper's fixed "
    "30-second encoder window, so their real-time factor is worse than for longer calls.")


def _levenshtein(said: list[str], heard: list[str]) -> int:
    previous = list(range(len(heard) + 1))
    for i, token in enumerate(said, 1):
        current = [i]
        for j, other in enumerate(heard, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (token != other)))
        previous = current
    return previous[-1]


def word_error_rate(said: str, heard: str) -> float:
    words = re.findall(r"[a-z0-9']+", said.lower())
    return _levenshtein(words, re.findall(r"[a-z0-9']+", heard.lower())) / max(len(words), 1)


def character_error_rate(said: str, heard: str) -> float:
    simplify = opencc.OpenCC("t2s").convert
    chars = [c for c in simplify(said) if c.isalnum()]
    return _levenshtein(chars, [c for c in simplify(heard) if c.isalnum()]) / max(len(chars), 1)


def _recordings(quick: bool) -> list[dict[str, Any]]:
    """(language, text, condition, recording bytes) for every utterance and condition."""
    voice = VoiceSynthesiser()
    english = ENGLISH[:3] if quick else ENGLISH
    cantonese = CANTONESE[:2] if quick else CANTONESE
    rng = np.random.default_rng(1823)
    out = []
    for lang, texts in (("en", english), ("yue", cantonese)):
        for index, text in enumerate(texts):
            samples, rate = soundfile.read(io.BytesIO(voice.speak(text, lang)), dtype="float32")
            for target in (8_000, 16_000):
                fmt = "mp3" if target == 8_000 else "wav"
                out.append({"lang": lang, "text": text, "condition": f"{target // 1000} kHz {fmt}",
                            "data": encode(resample(samples, rate, target), target, fmt)})
            if lang == "en" and index == 0:
                power = float(np.mean(samples ** 2))
                noisy = samples + rng.normal(0, np.sqrt(power / 10), len(samples))
                out.append({"lang": lang, "text": text, "condition": "16 kHz wav, noise 10 dB SNR",
                            "data": encode(resample(np.clip(noisy, -1, 1).astype(np.float32),
                                                    rate, 16_000), 16_000, "wav")})
    return out


def _score(system: str, decoding: Decoding, recordings: list[dict[str, Any]]) -> dict[str, Any]:
    recogniser = SpeechRecogniser(decoding=decoding)
    errors: dict[str, list[float]] = {"en": [], "yue": []}
    rtfs: dict[str, list[float]] = {"en": [], "yue": []}
    heard_as_speech, examples = 0, []
    for item in recordings:
        audio = decode_audio(item["data"])
        try:
            transcript = recogniser.transcribe(audio, language=item["lang"])
            text, rtf = transcript.text, transcript.real_time_factor
            heard_as_speech += 1
        except BadRequest:  # whisper judged it not to be speech: every word is an error
            text, rtf = "", float("nan")
        measure = word_error_rate if item["lang"] == "en" else character_error_rate
        errors[item["lang"]].append(measure(item["text"], text))
        if rtf == rtf:
            rtfs[item["lang"]].append(rtf)
        examples.append({"condition": item["condition"], "said": item["text"], "heard": text})
    every = sorted(rtfs["en"] + rtfs["yue"])
    return {
        "system": system,
        "english_wer": round(statistics.mean(errors["en"]), 4),
        "cantonese_cer": round(statistics.mean(errors["yue"]), 4),
        "rtf_mean": round(statistics.mean(every), 3) if every else None,
        "rtf_p95": round(every[min(len(every) - 1, int(0.95 * len(every)))], 3) if every else None,
        "rtf_mean_english": round(statistics.mean(rtfs["en"]), 3) if rtfs["en"] else None,
        "recognised": f"{heard_as_speech}/{len(recordings)}",
        "examples": examples,
    }


def _sms_rows() -> list[dict[str, Any]]:
    rows = []
    for text, encoding, lengths, units in SMS_CASES:
        plan = plan_sms(text)
        got = (plan.encoding, tuple(len(p) for p in plan.parts), plan.characters)
        rows.append({"case": text if len(text) < 20 else f"{text[:12]}… ({len(text)} chars)",
                     "expected": (encoding, lengths, units), "got": got,
                     "right": got == (encoding, lengths, units) and "".join(plan.parts) == text})
    return rows


def run_voice_bench(quick: bool = False) -> dict[str, Any]:
    recordings = _recordings(quick)
    ours = _score("whisper base, greedy + 1 fallback (ours)", FAST, recordings)
    baseline = _score("whisper base, faster-whisper defaults (beam 5)", WHISPER_DEFAULTS,
                      recordings)
    sms = _sms_rows()
    rows = [{key: value for key, value in result.items() if key != "examples"}
            for result in (ours, baseline)]
    rows.append({"system": "SMS planner", "recognised": f"{sum(r['right'] for r in sms)}/"
                 f"{len(sms)} hand-counted cases right"})
    passed = (ours["rtf_mean"] is not None and ours["rtf_mean"] < GOAL_RTF
              and ours["english_wer"] <= GOAL_WER and all(r["right"] for r in sms))
    return {
        "goal": f"mean real-time factor < {GOAL_RTF} and English WER <= {GOAL_WER:.0%} "
                f"(whisper base, CPU int8) on {len(recordings)} synthetic recordings; every "
                "hand-counted SMS case right",
        "rows": rows,
        "passed": passed,
        "examples": {"ours": ours["examples"], "baseline": baseline["examples"]},
        "sms_cases": sms,
        "notes": NOTES,
    }


benchmark = Benchmark(
    name="enquiry-voice",
    description="Voice enquiries: whisper WER/CER and real-time factor vs faster-whisper "
                "defaults on synthetic 8/16 kHz speech; SMS segmentation checks",
    run=run_voice_bench,
)
