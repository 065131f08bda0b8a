"""Drawing a filled form from its template, as a printer and an applicant would.

The layout comes from the template itself (labels left of or above their boxes, static text),
so a department's new template can be rendered for testing without code. Values are typed in
the box; the signature is a pen scribble and the photo a head-and-shoulders silhouette, each
left out when the sample is meant to lack it.
"""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw

from aiplus.apps.forms.synth.fonts import font
from aiplus.apps.forms.templates import FieldSpec, FormTemplate

LABEL_SIZE = 22
VALUE_SIZE = 28
INK = (20, 24, 60)


def _scribble(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random) -> None:
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    points = []
    start = x0 + width * rng.uniform(0.05, 0.2)
    span = width * rng.uniform(0.35, 0.6)
    waves = rng.uniform(3, 6)
    for step in range(80):
        t = step / 79
        x = start + span * t + width * 0.03 * math.sin(t * 40)
        y = y0 + height * (0.5 + 0.3 * math.sin(t * waves * math.pi + rng.uniform(-0.2, 0.2)))
        points.append((x, y))
    draw.line(points, fill=INK, width=3, joint="curve")


def _silhouette(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    draw.rectangle((x0 + 4, y0 + 4, x1 - 4, y1 - 4), fill=(205, 215, 225))
    cx = (x0 + x1) / 2
    draw.ellipse((cx - width * 0.2, y0 + height * 0.15, cx + width * 0.2, y0 + height * 0.55),
                 fill=(120, 95, 80))
    draw.pieslice((cx - width * 0.4, y0 + height * 0.6, cx + width * 0.4, y1 + height * 0.4),
                  180, 360, fill=(50, 60, 90))


def _fitting(text: str, box: tuple[int, int, int, int], size: int, family: str):  # type: ignore[no-untyped-def]
    """The value font, made smaller until ``text`` fits its box, as a person writes smaller
    near the edge."""
    while size > 12 and font(size, family).getlength(text) > box[2] - box[0] - 24:
        size -= 1
    return font(size, family)


def _pixels(template: FormTemplate, spec: FieldSpec, scale: float) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = spec.box
    w, h = template.width * scale, template.height * scale
    return round(x0 * w), round(y0 * h), round(x1 * w), round(y1 * h)


def render(template: FormTemplate, printed: dict[str, str], rng: random.Random, *,
           family: str = "sans", scale: float = 1.0) -> Image.Image:
    """The filled form at ``scale`` × the template's nominal size (150 dpi for A4)."""
    width, height = round(template.width * scale), round(template.height * scale)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for item in template.static_text:
        draw.text((item.at[0] * width, item.at[1] * height), item.text, fill="black",
                  font=font(round(item.size * scale), family))
    label_font = font(round(LABEL_SIZE * scale), family)
    value_size = round(VALUE_SIZE * scale)
    for spec in template.fields:
        box = _pixels(template, spec, scale)
        if spec.label_position == "above":
            draw.text((box[0], box[1] - 6 * scale), spec.label, fill="black", font=label_font,
                      anchor="ld")
        else:
            draw.text((0.06 * width, (box[1] + box[3]) / 2), spec.label, fill="black",
                      font=label_font, anchor="lm")
        draw.rectangle(box, outline=(150, 150, 150), width=max(1, round(2 * scale)))
        if spec.type == "signature":
            if printed.get(spec.name) == "present":
                _scribble(draw, box, rng)
        elif spec.type == "photo":
            if printed.get(spec.name) == "present":
                _silhouette(draw, box)
        elif printed.get(spec.name):
            draw.text((box[0] + 12 * scale, (box[1] + box[3]) / 2), printed[spec.name],
                      fill=INK, font=_fitting(printed[spec.name], box, value_size, family),
                      anchor="lm")
    return image
