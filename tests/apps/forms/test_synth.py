"""The synthetic generator: deterministic per seed, realistic values with valid and invalid
cases, degradations that change the image, and the CLI writing images plus ground truth."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from aiplus.apps.forms.cli import cli
from aiplus.apps.forms.synth import sample
from aiplus.apps.forms.synth.people import applicant
from aiplus.apps.forms.values import valid_hkid

pytestmark = pytest.mark.nodb


def test_samples_are_deterministic_per_seed() -> None:
    first, again = sample("idp", 3, seed=11, mode="degraded"), sample("idp", 3, seed=11, mode="degraded")
    assert first.truth == again.truth
    assert np.array_equal(np.asarray(first.image), np.asarray(again.image))
    other = sample("idp", 3, seed=12, mode="degraded")
    assert other.truth["fields"] != first.truth["fields"]
    assert first.truth["degradations"]


def test_applicants_mix_valid_and_invalid_values() -> None:
    rng = random.Random(5)
    people = [applicant(rng, date(2026, 11, 25)) for _ in range(200)]
    hkid_ok = [valid_hkid(person.values["id_number"]) for person in people]
    assert hkid_ok == [person.valid["id_number"] for person in people]
    assert 0.05 < hkid_ok.count(False) / len(people) < 0.25
    assert any(not person.valid["date_of_birth"] for person in people)
    assert any(not person.valid["licence_expiry"] for person in people)
    assert all(len(person.values["name_zh"]) in (2, 3) for person in people)


def test_the_cli_writes_images_and_ground_truth(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["synth", "--template", "idp", "--n", "2", "--out",
                                      str(tmp_path), "--clean", "--seed", "4"])
    assert result.exit_code == 0, result.output
    truths = sorted(tmp_path.glob("*.json"))
    assert len(truths) == 2
    truth = json.loads(truths[0].read_text(encoding="utf-8"))
    assert truth["mode"] == "clean" and truth["degradations"] == []
    assert (tmp_path / truth["image"]).is_file() and (tmp_path / truth["licence_image"]).is_file()
    assert set(truth["fields"]) == set(truth["valid"])
