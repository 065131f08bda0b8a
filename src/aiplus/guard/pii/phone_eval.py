"""Phone numbers in context: a generated English / Traditional Chinese set and its scores.

Why it exists: ``phonenumbers`` rejects numbers in ranges it believes unassigned, while the
sentence around them says plainly that they are phone numbers; the recogniser lets context
raise such numbers (:mod:`~aiplus.guard.pii.phones`), and this set measures what that gains in
recall and what it costs in precision on numbers that are *not* phones.

Templates are realistic messages, form lines and notices, in two files written separately:
``data/phone_context_dev.yaml`` (what cue words, windows and scores were chosen on) and
``data/phone_context_heldout.yaml`` (other genres and phrasings, never tuned on). Every
``{PHONE}`` is gold and is drawn half from ranges ``phonenumbers`` accepts and half from ranges
it rejects as unassigned, in the usual written forms (spaces, hyphens, ``+852``, full-width
digits in Chinese); ``{OTHER}`` (order, case, account numbers, counts: half in assigned
ranges), ``{DATE}`` (compact dates), ``{AMOUNT}`` and ``{BADHKID}`` (wrong check digit) are
decoys. Scoring is exact-span PHONE precision/recall/F1, with recall per range and false
positives on decoys. Deterministic for a seed.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from aiplus.guard.pii.entities import PHONE
from aiplus.guard.pii.evaluation import Detector, Sample, Span, Values, full_width
from aiplus.guard.pii.phones import is_assigned

SPLITS = ("dev", "heldout")
LANGS = ("en", "zh-Hant")
_SLOT = re.compile(r"\{([A-Z]+)\}")
_GOLD = {"PHONE": str(PHONE)}
_DECOYS = {"OTHER": "other_number", "DATE": "date", "AMOUNT": "amount", "BADHKID": "invalid_hkid"}


@cache
def templates(split: str) -> dict[str, tuple[str, ...]]:
    """The split's templates by language (``"dev"`` or ``"heldout"``)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    text = (files("aiplus.guard.pii") / "data" / f"phone_context_{split}.yaml").read_text("utf-8")
    loaded = yaml.safe_load(text)
    return {lang: tuple(loaded[lang]) for lang in LANGS}


class _Slots:
    """Random values for each slot kind: 8-digit numbers in assigned or unassigned ranges."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.values = Values(rng)

    def digits(self, assigned: bool) -> str:
        while True:
            digits = str(self.rng.randrange(2, 10)) + "".join(
                self.rng.choice("0123456789") for _ in range(7))
            if is_assigned(digits) == assigned:
                return digits

    def fill(self, slot: str, zh: bool) -> str:
        rng = self.rng
        if slot == "PHONE":
            d = self.digits(assigned=rng.random() < 0.5)
            value = rng.choice([d, d, f"{d[:4]} {d[4:]}", f"{d[:4]} {d[4:]}", f"{d[:4]}-{d[4:]}",
                                f"+852 {d[:4]} {d[4:]}", f"(852) {d[:4]}-{d[4:]}", f"+852{d}"])
            return full_width(value) if zh and rng.random() < 0.15 else value
        if slot == "OTHER":
            d = self.digits(assigned=rng.random() < 0.5)
            return rng.choice([d] * 8 + [f"{d[:4]}-{d[4:]}", f"{d[:4]} {d[4:]}"])
        if slot == "DATE":
            day = date(1950, 1, 1) + timedelta(days=rng.randrange(80 * 365))
            return day.strftime(rng.choice(["%Y%m%d", "%d%m%Y"]))
        if slot == "AMOUNT":
            d = self.digits(assigned=rng.random() < 0.5)
            forms = ([f"{d}元", f"港幣{d}元", f"${d}"] if zh else [f"HK${d}", f"${d}", f"HKD {d}"])
            return rng.choice(forms)
        if slot == "BADHKID":
            return self.values.bad_hkid(zh)
        raise ValueError(f"unknown slot {{{slot}}}")


def _fill(template: str, slots: _Slots, zh: bool) -> tuple[str, list[Span], list[Span]]:
    text, gold, decoys, cursor = "", [], [], 0
    for match in _SLOT.finditer(template):
        text += template[cursor:match.start()]
        slot = match.group(1)
        start = len(text)
        text += slots.fill(slot, zh)
        if slot in _GOLD:
            gold.append((_GOLD[slot], start, len(text)))
        else:
            decoys.append((_DECOYS[slot], start, len(text)))
        cursor = match.end()
    return text + template[cursor:], gold, decoys


def generate(split: str, repeats: int = 6, seed: int = 19) -> list[Sample]:
    """Every template of ``split`` filled ``repeats`` times, English then Chinese."""
    rng = random.Random(f"{seed}-{split}")
    slots = _Slots(rng)
    samples = []
    for lang, lines in templates(split).items():
        for _ in range(repeats):
            for line in lines:
                text, gold, decoys = _fill(line, slots, lang != "en")
                samples.append(Sample(text, lang, tuple(gold), tuple(decoys)))
    return samples


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text.translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}))


def score(detect: Detector, samples: list[Sample]) -> dict[str, Any]:
    """Exact-span PHONE precision/recall/F1, recall on assigned and on unassigned ranges, and
    how many reported phones fall on a decoy."""
    tp = fp = fn = on_decoys = 0
    by_range = {"assigned": [0, 0], "unassigned": [0, 0]}  # [found, total]
    for sample in samples:
        predicted = {(t, s, e) for t, s, e in detect(sample.text) if t == PHONE}
        gold = {span for span in sample.gold if span[0] == PHONE}
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
        on_decoys += sum(1 for _, s, e in predicted - gold
                         if any(s < de and ds < e for _, ds, de in sample.traps))
        for span in gold:
            national = _digits(sample.text[span[1]:span[2]])[-8:]
            counts = by_range["assigned" if is_assigned(national) else "unassigned"]
            counts[0] += span in predicted
            counts[1] += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"gold": tp + fn, "tp": tp, "fp": fp, "fn": fn, "fp_on_decoys": on_decoys,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            **{f"recall_{name}": round(found / total, 4) if total else None
               for name, (found, total) in by_range.items()}}
