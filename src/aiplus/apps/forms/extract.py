"""Reading a filled form: prepare the page, check its quality, OCR it, place the template,
read each field, validate, cross-check against supporting documents and decide a status.

Statuses: ``accepted`` (every field read confidently and valid), ``needs_review`` (an officer
must look: low confidence, an invalid value, or a cross-check mismatch; the system never
rejects an application on its own), ``retake_photo`` (the image is too poor to read; the
applicant is asked for a better one instead of guessing) and ``rejected`` (the page is not
this form, so there is nothing for an officer to review).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import cv2
import numpy as np
from PIL import Image

from aiplus.apps.forms import anchors, values
from aiplus.apps.forms.templates import FieldSpec, FormTemplate
from aiplus.core.i18n import N_, Translator
from aiplus.models.ocr import OcrLine, OcrPage, assess, prepare, recognise
from aiplus.models.ocr.page import union

MISSING_ANCHOR_PENALTY = 0.8
MARK_INK = {"signature": 0.004, "photo": 0.15}
"""Share of marked pixels above which a signature or photo box counts as filled."""
STATUS_LABELS = {
    "accepted": N_("Accepted"),
    "needs_review": N_("Waiting for an officer's review"),
    "retake_photo": N_("Please send a better photo"),
    "rejected": N_("Not accepted"),
}


@dataclass
class FieldResult:
    name: str
    value: str
    confidence: float
    bbox: tuple[int, int, int, int] | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    raw: str = ""

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self, translate: Translator) -> dict[str, Any]:
        return {
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "valid": self.valid,
            "errors": [translate(item["message"], **item["params"]) for item in self.errors],
            "bbox": list(self.bbox) if self.bbox else None,
        }


@dataclass
class Reading:
    """One page read against one template."""

    template: FormTemplate
    status: str
    fields: dict[str, FieldResult]
    reasons: list[dict[str, Any]]
    image: Image.Image
    quality: dict[str, float]
    ocr_text: str = ""
    seconds: float = 0.0

    def values(self) -> dict[str, str]:
        return {name: result.value for name, result in self.fields.items()}


def _reason(message: str, **params: Any) -> dict[str, Any]:
    return {"message": message, "params": params}


def _inside(line: OcrLine, box: tuple[int, int, int, int], slack: float) -> bool:
    x0, y0, x1, y1 = box
    pad = (y1 - y0) * slack
    cx = (line.bbox[0] + line.bbox[2]) / 2
    return y0 - pad <= line.centre_y <= y1 + pad and x0 - pad <= cx <= x1 + pad


def _after_label(spec: FieldSpec, label: OcrLine, box: tuple[int, int, int, int]
                 ) -> OcrLine | None:
    """The value, when the detector joined a long label and the value beside it into one
    line: the line's text after the last character that matches the printed label, if the
    line reaches into the value box."""
    if label.bbox[2] <= box[0]:
        return None
    printed = f"{spec.label_zh} {spec.label_en}"
    blocks = SequenceMatcher(None, printed, label.text, autojunk=False).get_matching_blocks()
    end = max((block.b + block.size for block in blocks if block.size), default=0)
    rest = label.text[end:].strip()
    if not rest:
        return None
    return OcrLine(text=rest, confidence=label.confidence,
                   bbox=(max(label.bbox[0], box[0]), *label.bbox[1:]))


def _read_text(spec: FieldSpec, page: OcrPage, box: tuple[int, int, int, int],
               taken: set[int], label: OcrLine | None) -> FieldResult:
    lines = [line for line in page.lines if id(line) not in taken and _inside(line, box, 0.35)]
    joined = _after_label(spec, label, box) if label is not None else None
    lines = sorted([*lines, *([joined] if joined else [])], key=lambda line: line.bbox[0])
    raw = " ".join(line.text for line in lines)
    normalised = values.normalise(spec.type, raw)
    if not lines:
        return FieldResult(spec.name, "", 0.5, box, raw="")
    confidence = min(line.confidence for line in lines)
    if normalised.repaired:
        confidence *= values.REPAIR_PENALTY
    return FieldResult(spec.name, normalised.value, confidence,
                       union(line.bbox for line in lines), raw=raw)


def _ink_share(kind: str, crop: np.ndarray) -> float:
    """Share of the box that is marked. A signature is thin strokes: pixels well below the
    local paper (a 15-pixel closing removes the strokes and leaves the paper, so shadows and
    faded ink are judged against their own surroundings). A photo is a large non-paper area."""
    if kind == "signature":
        paper = cv2.morphologyEx(crop, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
        return float(((paper.astype(np.int16) - crop) > 50).mean())
    return float((crop < np.percentile(crop, 95) * 0.85).mean())


def _read_mark(spec: FieldSpec, image: Image.Image, box: tuple[int, int, int, int]) -> FieldResult:
    x0, y0, x1, y1 = box
    inset_x, inset_y = (x1 - x0) * 0.06, (y1 - y0) * 0.08
    crop = np.asarray(image.convert("L").crop(
        (round(x0 + inset_x), round(y0 + inset_y), round(x1 - inset_x), round(y1 - inset_y))
    ))
    if crop.size == 0:
        return FieldResult(spec.name, "", 0.0, box)
    share = _ink_share(spec.type, crop)
    threshold = MARK_INK[spec.type]
    margin = abs(np.log((share + 1e-5) / threshold))
    confidence = float(min(1.0, 0.5 + margin / 2))
    return FieldResult(spec.name, "present" if share > threshold else "absent", confidence, box,
                       raw=f"ink={share:.4f}")


def read_fields(template: FormTemplate, page: OcrPage, image: Image.Image) -> tuple[dict[str, FieldResult], int]:
    """Every field's value and confidence, and how many labels were found."""
    found = anchors.find(template, page)
    placement = anchors.place(template, page, found)
    taken = {id(line) for line in found.values()}
    results: dict[str, FieldResult] = {}
    for spec in template.fields:
        box = placement.box(template, spec)
        result = (_read_mark(spec, image, box) if spec.is_mark
                  else _read_text(spec, page, box, taken, found.get(spec.name)))
        if spec.name not in found:
            result.confidence *= MISSING_ANCHOR_PENALTY
        results[spec.name] = result
    current = {name: result.value for name, result in results.items()}
    for spec in template.fields:
        for message, params in values.validate(spec.type, current[spec.name], spec.validators, current):
            results[spec.name].errors.append(_reason(message, **params))
    return results, len(found)


def read(image: Image.Image, template: FormTemplate, *, engine: str = "rapidocr") -> Reading:
    prepared = prepare(image)
    report = assess(prepared.image, prepared.skew_degrees)
    if not report.acceptable:
        return Reading(
            template, "retake_photo", {},
            [_reason(issue.message, **issue.params) for issue in report.issues],
            prepared.image, report.metrics,
        )
    page = recognise(prepared.image, engine, upright=True)
    results, labels = read_fields(template, page, prepared.image)
    reading = Reading(template, "accepted", results, [], prepared.image, report.metrics,
                      ocr_text=page.text, seconds=page.seconds)
    if labels < template.min_anchor_share * len(template.fields):
        reading.status = "rejected"
        reading.fields = {}
        reading.reasons.append(_reason(
            N_("This does not look like the form “{title}”. Please upload that form."),
            title=template.title_en))
        return reading
    decide(reading)
    return reading


def cross_check(reading: Reading, document: str, other: Reading,
                pairs: tuple[tuple[str, str], ...]) -> None:
    """Mark form fields that disagree with the same facts read from a supporting document."""
    if other.status in ("retake_photo", "rejected"):
        reading.reasons.append(_reason(
            N_("The supporting document ({document}) could not be read."), document=document))
        return
    for mine, theirs in pairs:
        ours, seen = reading.fields.get(mine), other.fields.get(theirs)
        if ours is None or seen is None or not ours.value or not seen.value:
            continue
        if ours.value != seen.value:
            ours.errors.append(_reason(
                N_("This does not match the {document}, which reads “{other}”."),
                document=document, other=seen.value))
    decide(reading)


def decide(reading: Reading) -> None:
    if reading.status in ("retake_photo", "rejected"):
        return
    threshold = reading.template.review_threshold
    doubtful = [r for r in reading.fields.values() if r.confidence < threshold or not r.valid]
    reading.status = "needs_review" if doubtful or reading.reasons else "accepted"
