"""Synthetic filled forms with ground truth, for tests, benchmarks and demos.

Every sample is a pure function of (template, seed, index, mode), so a benchmark set is the
same on every machine. Modes: ``clean`` (as printed), ``degraded`` (the issue's degradation
kinds) and ``held_out`` (corruptions the extractor was never tuned on).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PIL import Image

from aiplus.apps.forms.synth import degrade
from aiplus.apps.forms.synth.people import applicant
from aiplus.apps.forms.synth.render import render
from aiplus.apps.forms.templates import load

MODES = ("clean", "degraded", "held_out")
BASE_DAY = date(2026, 11, 25)
LICENCE_TINT = (236, 244, 236)


@dataclass
class Sample:
    name: str
    image: Image.Image
    licence: Image.Image
    truth: dict[str, Any] = field(default_factory=dict)


def _licence(values: dict[str, str], printed: dict[str, str], rng: random.Random,
             family: str) -> Image.Image:
    template = load("hk_driving_licence")
    card = render(template, {name: printed[name] for name in ("name_en", "licence_number",
                                                              "licence_expiry")}, rng, family=family)
    tint = Image.new("RGB", card.size, LICENCE_TINT)
    return Image.blend(card, tint, 0.0) if rng.random() < 0.5 else Image.composite(
        card, tint, card.convert("L").point(lambda v: 255 - v if v < 250 else 0))


def sample(template_id: str, index: int, *, seed: int = 0, mode: str = "clean") -> Sample:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    rng = random.Random(f"{template_id}|{seed}|{index}|{mode}")
    template = load(template_id)
    today = BASE_DAY - timedelta(days=rng.randrange(0, 365))
    person = applicant(rng, today)
    family = "serif" if mode == "held_out" and rng.random() < 0.5 else "sans"
    image = render(template, person.printed, rng, family=family)
    licence = _licence(person.values, person.printed, rng, family)
    names: list[str] = []
    if mode != "clean":
        names = degrade.pick(rng, held_out=mode == "held_out")
        image = degrade.apply(image, names, rng)
        licence = degrade.apply(licence, [n for n in names if n in ("noise", "jpeg", "blur")], rng)
    name = f"{template_id}-{mode}-{seed}-{index:04d}"
    truth = {
        "id": name, "template": template.id, "version": template.version, "mode": mode,
        "seed": seed, "degradations": names, "fields": person.values, "valid": person.valid,
        "image": f"{name}.png", "licence_image": f"{name}-licence.png",
    }
    return Sample(name=name, image=image, licence=licence, truth=truth)


def write(template_id: str, n: int, out: Path, *, seed: int = 0, mode: str = "degraded") -> list[Path]:
    """Render ``n`` samples into ``out``: image, licence image and ``<name>.json`` truth each."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(n):
        item = sample(template_id, index, seed=seed, mode=mode)
        item.image.save(out / item.truth["image"])
        item.licence.save(out / item.truth["licence_image"])
        path = out / f"{item.name}.json"
        path.write_text(json.dumps(item.truth, ensure_ascii=False, indent=2), encoding="utf-8")
        written.append(path)
    return written
