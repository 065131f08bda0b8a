"""Fixtures of the responsible-AI app: migrated platform, the demo bank's people, a small
credit model registered through the API."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest

from aiplus.apps.responsible import credit
from aiplus.apps.responsible.credit import CreditExample
from tests.factories import Factory, Member

ORG = "demo-bank"


@dataclass
class Team:
    analyst: Member
    reviewer: Member
    outsider: Member


@pytest.fixture
def settings(settings):
    """Model files and test data are bigger than the suite's default 64 KB body limit."""
    return settings.model_copy(update={"max_body_bytes": 8 * 1024 * 1024})


@pytest.fixture(scope="session")
def small_credit() -> CreditExample:
    return credit.train(rounds=30)


@pytest.fixture
def team(platform, factory: Factory) -> Team:
    platform.migrate()
    factory.org(ORG, kind="bank")
    return Team(analyst=factory.member("ann", org=ORG, role="officer"),
                reviewer=factory.member("rita", org=ORG, role="reviewer"),
                outsider=factory.member("otto", org="hk-td", role="officer"))


def card_body(example: CreditExample, version: str = "1.0.0") -> dict[str, object]:
    text = {"en": "Text", "zh-Hant": "文字"}
    return {
        "name": "credit-test", "version": version, "kind": "lightgbm", "org": ORG,
        "title_en": "Credit test", "title_zh": "信貸測試",
        "card": {"intended_use": text, "out_of_scope": text, "data": text, "limits": text},
        "lineage": {"dataset": "uci-credit", "file_sha256": example.data_sha256},
        "metrics": {"auc": example.metrics["auc"]},
        "artefact_base64": base64.b64encode(example.artefact).decode(),
    }


def upload_csv(example: CreditExample, rows: int = 3000) -> bytes:
    """Features, label and groups of the test split: what an officer uploads for testing."""
    frame = example.test_features.iloc[:rows].assign(
        label=example.test_label[:rows], SEX=example.test_sensitive["SEX"][:rows],
        AGE_BAND=example.test_sensitive["AGE_BAND"][:rows])
    return frame.to_csv(index=False).encode()
