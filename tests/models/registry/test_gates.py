"""Deployment gates: the registry deploys a version only when every gate a pillar registered
lets it, and refuses when none is registered (fail closed)."""

import pytest

from aiplus.core.errors import Conflict
from aiplus.core.i18n import Bilingual
from aiplus.models.registry import (
    CardText,
    Lineage,
    ModelVersion,
    Status,
    gates,
    register_deployment_gate,
    register_version,
    transition,
)

TEXT = Bilingual("Text.", "文字。")


@pytest.fixture
def approved(platform):
    """A session holding a version in the approved state, one step before deployment."""
    platform.migrate()
    with platform.db.transaction() as session:
        row = register_version(
            session, platform.files, name="gated-model", version="1", kind="onnx", org="hkma",
            actor="ann", title=TEXT, card=CardText(TEXT, TEXT, TEXT, TEXT),
            lineage=Lineage("d", version="1"))
        transition(session, row, Status.ASSESSED, actor="ann")
        transition(session, row, Status.APPROVED, actor="ann")
        yield session, row


@pytest.fixture
def no_gates(monkeypatch):
    """This process as if no pillar had registered a gate."""
    monkeypatch.setattr(gates, "_GATES", {})


def _allow(session, row: ModelVersion) -> None:
    return None


def _refuse(session, row: ModelVersion) -> None:
    raise Conflict("refused by the test gate")


def test_without_a_registered_gate_deployment_is_refused(no_gates, approved):
    session, row = approved
    with pytest.raises(Conflict) as refused:
        transition(session, row, Status.DEPLOYED, actor="ann")
    assert "no deployment check is loaded" in refused.value.message
    assert refused.value.params["name"] == "gated-model@1" and row.status == Status.APPROVED
    transition(session, row, Status.RETIRED, actor="ann")  # other moves need no gate


def test_every_registered_gate_must_pass(no_gates, approved):
    session, row = approved
    register_deployment_gate("allow", _allow)
    register_deployment_gate("refuse", _refuse)
    with pytest.raises(Conflict, match="test gate"):
        transition(session, row, Status.DEPLOYED, actor="ann")
    register_deployment_gate("refuse", _allow)  # the same name replaces its gate
    assert transition(session, row, Status.DEPLOYED, actor="ann").status == Status.DEPLOYED
