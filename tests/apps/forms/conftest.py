"""Fixtures of the forms service's tests: the app's tables, the people involved and rendered
forms as upload bytes (one needing review, with its ground truth)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from PIL import Image

from aiplus.apps.forms.synth import Sample, sample
from aiplus.core.settings import Settings
from aiplus.platform.services import Platform
from tests.factories import Factory, Member

ORG = "hk-td"


@pytest.fixture
def forms_platform(platform: Platform) -> Platform:
    platform.migrate()
    return platform


@dataclass
class People:
    applicant: Member
    officer: Member
    outsider: Member


@pytest.fixture
def people(forms_platform: Platform, factory: Factory) -> People:
    return People(applicant=factory.member("amy-applicant", org=ORG, role="public", password=None),
                  officer=factory.member("otto-officer", org=ORG, role="officer", password=None),
                  outsider=factory.member("olga-other", org="hk-1823", role="officer",
                                          password=None))


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def doubtful_form() -> Sample:
    """The first clean sample whose HKID has a wrong check digit: it must reach an officer."""
    index = 0
    while True:
        item = sample("idp", index, seed=77)
        if not item.truth["valid"]["id_number"] and all(
                ok for name, ok in item.truth["valid"].items()
                if name not in ("id_number", "licence_number")):
            return item
        index += 1


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Uploads of whole rendered pages: the platform's test limit (64 KiB) is raised to the
    production default, which is what a deployment accepts."""
    return settings.model_copy(update={"max_body_bytes": 10 * 1024 * 1024})
