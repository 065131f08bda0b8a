"""Reading rendered IDP forms end to end: a clean scan, a phone photo of the page, the
cross-check against a driving licence (matching and not), a different document and a blank
page. A handful of pages only: accuracy over many pages is the benchmark's job."""

from __future__ import annotations

import copy
import random

import pytest
from PIL import Image

from aiplus.apps.forms.extract import Reading, cross_check, read
from aiplus.apps.forms.synth import Sample, degrade, sample
from aiplus.apps.forms.templates import load

pytestmark = pytest.mark.nodb


@pytest.fixture(scope="module")
def form() -> Sample:
    return sample("idp", 1, seed=31)


@pytest.fixture(scope="module")
def reading(form: Sample) -> Reading:
    return read(form.image, load("idp"))


def test_a_clean_form_is_read_exactly(form: Sample, reading: Reading) -> None:
    assert reading.values() == form.truth["fields"]
    expected = "accepted" if all(form.truth["valid"].values()) else "needs_review"
    assert reading.status == expected
    for name, result in reading.fields.items():
        assert result.valid == form.truth["valid"][name], name
        assert result.bbox is not None and 0 <= result.confidence <= 1


def test_a_phone_photo_is_flattened_and_read(form: Sample) -> None:
    rng = random.Random(8)
    photo = degrade.apply(form.image, ["perspective", "noise", "jpeg"], rng)
    result = read(photo, load("idp"))
    assert result.status != "retake_photo"
    assert result.values() == form.truth["fields"]


def test_the_licence_cross_check(form: Sample, reading: Reading) -> None:
    licence = read(form.licence, load("hk_driving_licence"))
    assert licence.values()["licence_number"] == form.truth["fields"]["licence_number"]
    matching = copy.deepcopy(reading)
    cross_check(matching, "licence", licence, load("idp").cross_checks[0].pairs)
    assert all(not any("does not match" in e["message"] for e in f.errors)
               for f in matching.fields.values())
    stranger = read(sample("idp", 2, seed=31).licence, load("hk_driving_licence"))
    mismatched = copy.deepcopy(reading)
    cross_check(mismatched, "licence", stranger, load("idp").cross_checks[0].pairs)
    assert mismatched.status == "needs_review"
    assert not mismatched.fields["name_en"].valid
    assert not mismatched.fields["licence_number"].valid


def test_a_different_document_is_rejected_not_guessed(form: Sample) -> None:
    result = read(form.licence, load("idp"))
    assert result.status == "rejected" and result.fields == {}
    assert "does not look like" in result.reasons[0]["message"]


def test_a_blank_page_asks_for_the_form() -> None:
    result = read(Image.new("RGB", (1240, 1754), "white"), load("idp"))
    assert result.status == "retake_photo"
    assert "blank" in result.reasons[0]["message"]


def test_a_value_joined_to_its_label_by_the_detector_is_still_read() -> None:
    """A long label printed close to its value can come back as one OCR line; the text after
    the label is the value. Built from OCR lines directly: no engine needed."""
    from aiplus.apps.forms.extract import read_fields
    from aiplus.models.ocr import OcrLine, OcrPage

    template = load("idp")
    lines = []
    for spec in template.fields:
        if spec.is_mark:
            continue
        y = round((spec.box[1] + spec.box[3]) / 2 * template.height)
        label = f"{spec.label_zh} {spec.label_en}"
        if spec.name == "licence_number":  # label and value joined, running into the box
            lines.append(OcrLine(f"{label} XA5180616", 0.97, (70, y - 16, 650, y + 16)))
            continue
        lines.append(OcrLine(label, 0.99, (70, y - 16, 400, y + 16)))
        if spec.name == "name_en":
            lines.append(OcrLine("CHOW Hong Fai", 0.99, (500, y - 20, 720, y + 20)))
    page = OcrPage(tuple(lines), template.width, template.height, "test")
    image = Image.new("RGB", (template.width, template.height), "white")
    fields, labels = read_fields(template, page, image)
    assert labels == len(lines) - 1
    assert fields["licence_number"].value == "XA5180616" and fields["licence_number"].valid
    assert fields["name_en"].value == "CHOW HONG FAI"
    assert fields["id_number"].value == ""  # a label alone gives no value
