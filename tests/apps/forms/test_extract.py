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
