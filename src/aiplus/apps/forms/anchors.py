"""Finding a template's labels on an OCR'd page and mapping template boxes onto the page.

Each label is printed as "中文 English" on one line; a line's score for a field is the
length-weighted similarity of both halves to their best-matching stretch of the line, so a
value such as an email address that happens to contain "mail" does not pass for the
"電郵 Email" label. Lines are assigned to fields greedily, best score first, one field per
line. The found labels then fit a scale-and-offset map from template to page (least squares
on the rows), which places every value box, including those whose label was not read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from aiplus.apps.forms.templates import FieldSpec, FormTemplate
from aiplus.models.ocr import OcrLine, OcrPage

MIN_SCORE = 0.75
LABEL_LEFT = 0.06
"""Where left-hand labels start, as a fraction of page width (the renderer and the printed
forms share it)."""


def _clean(text: str) -> str:
    return re.sub(r"[\s:：.,/()（）]", "", text).lower()


def partial_ratio(needle: str, haystack: str) -> float:
    """Best similarity of ``needle`` to any stretch of ``haystack`` of the same length."""
    if not needle or not haystack:
        return 0.0
    if len(haystack) <= len(needle):
        return SequenceMatcher(None, needle, haystack).ratio()
    return max(
        SequenceMatcher(None, needle, haystack[start : start + len(needle)]).ratio()
        for start in range(len(haystack) - len(needle) + 1)
    )


def _ratio_bound(needle: str, haystack: str) -> float:
    """An upper bound of :func:`partial_ratio` from shared characters alone: a stretch can
    match no more characters than the whole line shares with the needle."""
    if not needle or not haystack:
        return 0.0
    shared = (Counter(needle) & Counter(haystack)).total()
    return min(1.0, 2 * shared / (len(needle) + min(len(needle), len(haystack))))


def label_score(spec: FieldSpec, line: OcrLine) -> float:
    """Length-weighted similarity of both label halves to the line. The exact similarity is
    costly (a sequence match per stretch of the line), so a line that could not reach
    ``MIN_SCORE`` even by its shared characters gets that bound instead: most lines on a form
    are values, and only scores at or above ``MIN_SCORE`` are ever used."""
    text = _clean(line.text)
    zh, en = _clean(spec.label_zh), _clean(spec.label_en)
    total = len(zh) + len(en)
    bound = (_ratio_bound(zh, text) * len(zh) + _ratio_bound(en, text) * len(en)) / total
    if bound < MIN_SCORE:
        return bound
    return (partial_ratio(zh, text) * len(zh) + partial_ratio(en, text) * len(en)) / total


@dataclass(frozen=True)
class Placement:
    """Template-to-page map: page = scale * template + offset (pixels)."""

    scale: float
    offset_x: float
    offset_y: float

    def box(self, template: FormTemplate, spec: FieldSpec) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = spec.box
        return (
            round(self.scale * x0 * template.width + self.offset_x),
            round(self.scale * y0 * template.height + self.offset_y),
            round(self.scale * x1 * template.width + self.offset_x),
            round(self.scale * y1 * template.height + self.offset_y),
        )


def find(template: FormTemplate, page: OcrPage) -> dict[str, OcrLine]:
    scored = sorted(
        ((label_score(spec, line), index, spec.name)
         for spec in template.fields for index, line in enumerate(page.lines)),
        reverse=True,
    )
    found: dict[str, OcrLine] = {}
    used: set[int] = set()
    for score, index, name in scored:
        if score < MIN_SCORE:
            break
        if name in found or index in used:
            continue
        found[name] = page.lines[index]
        used.add(index)
    return found


def _label_origin(template: FormTemplate, spec: FieldSpec) -> tuple[float, float]:
    """Where the label's left edge and vertical centre sit on the template (pixels)."""
    x0, y0, _, y1 = spec.box
    if spec.label_position == "above":
        return x0 * template.width, y0 * template.height - 20
    return LABEL_LEFT * template.width, (y0 + y1) / 2 * template.height


def place(template: FormTemplate, page: OcrPage, found: dict[str, OcrLine]) -> Placement:
    """Fit scale and offsets from the labels found; with fewer than two, assume the page is
    the template scaled to the image width."""
    pairs = [(_label_origin(template, template.field(name)), line) for name, line in found.items()]
    if len(pairs) < 2:
        scale = page.width / template.width
        return Placement(scale, 0.0, 0.0)
    ys_template = np.array([origin[1] for origin, _ in pairs])
    ys_page = np.array([line.centre_y for _, line in pairs])
    scale, offset_y = np.polyfit(ys_template, ys_page, 1)
    offset_x = float(np.median([line.bbox[0] - scale * origin[0] for origin, line in pairs]))
    return Placement(float(scale), offset_x, float(offset_y))
