"""Form templates: YAML files describing a form's fields, so departments add forms as data.

A template names each field, its bilingual label (the anchor the extractor looks for), the box
where the value is expected (fractions of the page, used by the renderer and as the fallback
region when the label cannot be found), a value type and validators. Templates are versioned:
a submission records the id and version it was read with.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from aiplus.core.errors import NotFound
from aiplus.core.i18n import N_

FOLDER = Path(__file__).resolve().parent / "form_templates"
TYPES = {"text", "name_en", "name_zh", "id_number", "date", "phone", "email",
         "licence_number", "signature", "photo"}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label_en: str
    label_zh: str
    type: str
    box: tuple[float, float, float, float]
    validators: tuple[Any, ...]
    label_position: str = "left"

    @property
    def label(self) -> str:
        """The label as printed on the form: Chinese then English."""
        return f"{self.label_zh} {self.label_en}"

    @property
    def is_mark(self) -> bool:
        """Signature and photo are judged by ink in their box, not read as text."""
        return self.type in ("signature", "photo")


@dataclass(frozen=True)
class StaticText:
    at: tuple[float, float]
    size: int
    text: str


@dataclass(frozen=True)
class CrossCheck:
    document: str
    template: str
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FormTemplate:
    id: str
    version: int
    title_en: str
    title_zh: str
    width: int
    height: int
    review_threshold: float
    min_anchor_share: float
    fields: tuple[FieldSpec, ...]
    static_text: tuple[StaticText, ...]
    cross_checks: tuple[CrossCheck, ...]

    def field(self, name: str) -> FieldSpec:
        return next(spec for spec in self.fields if spec.name == name)


def _field(raw: dict[str, Any]) -> FieldSpec:
    if raw["type"] not in TYPES:
        raise ValueError(f"field {raw['name']}: unknown type {raw['type']!r}")
    box = tuple(float(v) for v in raw["box"])
    if len(box) != 4 or not (0 <= box[0] < box[2] <= 1 and 0 <= box[1] < box[3] <= 1):
        raise ValueError(f"field {raw['name']}: box must be x0 < x1, y0 < y1 within 0..1")
    return FieldSpec(
        name=raw["name"], label_en=raw["label"]["en"], label_zh=raw["label"]["zh"],
        type=raw["type"], box=box,  # type: ignore[arg-type]
        validators=tuple(raw.get("validators") or ()),
        label_position=raw.get("label_position", "left"),
    )


def parse(raw: dict[str, Any]) -> FormTemplate:
    return FormTemplate(
        id=raw["id"], version=int(raw["version"]),
        title_en=raw["title"]["en"], title_zh=raw["title"]["zh"],
        width=int(raw["page"]["width"]), height=int(raw["page"]["height"]),
        review_threshold=float(raw["review_threshold"]),
        min_anchor_share=float(raw["min_anchor_share"]),
        fields=tuple(_field(item) for item in raw["fields"]),
        static_text=tuple(
            StaticText(at=tuple(item["at"]), size=int(item["size"]), text=item["text"])  # type: ignore[arg-type]
            for item in raw.get("static_text") or ()
        ),
        cross_checks=tuple(
            CrossCheck(document=item["document"], template=item["template"],
                       pairs=tuple(tuple(pair) for pair in item["pairs"]))  # type: ignore[misc]
            for item in raw.get("cross_checks") or ()
        ),
    )


@cache
def load(template_id: str) -> FormTemplate:
    if template_id not in available():
        raise NotFound(N_("There is no form template called {name}."), name=template_id)
    with (FOLDER / f"{template_id}.yaml").open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))


@cache
def available() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in FOLDER.glob("*.yaml")))
