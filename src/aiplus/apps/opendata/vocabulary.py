"""What synthetic datasets are made of: ``vocabulary.yaml``, read once and checked.

The generator (:mod:`aiplus.apps.opendata.generate`) draws publishers, districts and subjects
from this vocabulary. The checks go beyond each field's type to what the generator relies on,
so an edit to the file that would break generation (a subject in an unknown category, a format
without a media type, a frequency the catalogue refuses) fails when the file is read, naming
the entry, rather than halfway through writing a catalogue.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from aiplus.core.datafiles import load_yaml
from aiplus.core.identity import SLUG_PATTERN, OrgKind
from aiplus.data.catalog.groups import CATEGORIES
from aiplus.data.catalog.validation import FREQUENCIES

Text = Annotated[str, StringConstraints(strict=True, min_length=1)]
Slug = Annotated[str, StringConstraints(strict=True, pattern=SLUG_PATTERN.pattern)]


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Publisher(_Entry):
    slug: Slug
    en: Text
    zh: Text
    kind: OrgKind


class District(_Entry):
    en: Text
    zh: Text
    slug: Slug


class Phrase(_Entry):
    """How a description says an update frequency."""

    en: Text
    zh: Text


class Format(_Entry):
    extension: Text
    mimetype: Text


class Subject(_Entry):
    """A kind of dataset a category holds; titles add a district (if ``by_district``) and
    a year."""

    group: Text
    en: Text
    zh: Text
    about_en: Text
    about_zh: Text
    tags: Annotated[tuple[Text, ...], Field(min_length=1)]
    formats: Annotated[tuple[Text, ...], Field(min_length=1)]
    frequency: Text
    by_district: bool = True


class Vocabulary(_Entry):
    publishers: tuple[Publisher, ...]
    districts: tuple[District, ...]
    frequencies: dict[str, Phrase]
    formats: dict[str, Format]
    subjects: tuple[Subject, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Vocabulary:
        """Every name a subject uses is defined, and every category has a subject."""
        problems = [f"frequencies.{name}: not a catalogue update frequency"
                    for name in self.frequencies if name not in FREQUENCIES]
        categories = {name for name, _, _ in CATEGORIES}
        for index, subject in enumerate(self.subjects):
            where = f"subjects.{index} ({subject.en})"
            if subject.group not in categories:
                problems.append(f"{where}: unknown category {subject.group!r}")
            if subject.frequency not in self.frequencies:
                problems.append(f"{where}: frequency {subject.frequency!r} is not listed")
            problems += [f"{where}: format {fmt!r} is not listed" for fmt in subject.formats
                         if fmt not in self.formats]
        problems += [f"subjects: no subject for category {name!r}"
                     for name in sorted(categories - {s.group for s in self.subjects})]
        for field, slugs in (("publishers", [p.slug for p in self.publishers]),
                             ("districts", [d.slug for d in self.districts])):
            problems += [f"{field}: slug {slug!r} appears twice"
                         for slug in sorted({s for s in slugs if slugs.count(s) > 1})]
        if problems:
            raise ValueError("; ".join(problems))
        return self


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary (read and checked on first use)."""
    return load_yaml(__package__ or __name__, "vocabulary.yaml", Vocabulary)
