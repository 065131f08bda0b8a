"""The ethics pillar's deployment gate: registered wherever the platform is built, it lets the
registry deploy a version only while an approved assessment of it is current."""

from datetime import date, timedelta

import pytest

from aiplus.core.errors import Conflict
from aiplus.core.i18n import Bilingual
from aiplus.ethics.assessment.tables import AssessmentStatus, ImpactAssessment
from aiplus.models.registry import (
    CardText,
    Lineage,
    Status,
    gates,
    register_version,
    transition,
)

TEXT = Bilingual("Text.", "文字。")


def _approved_version(platform, session):
    row = register_version(
        session, platform.files, name="assessed-model", version="1", kind="onnx", org="hkma",
        actor="ann", title=TEXT, card=CardText(TEXT, TEXT, TEXT, TEXT),
        lineage=Lineage("d", version="1"))
    transition(session, row, Status.ASSESSED, actor="ann")
    transition(session, row, Status.APPROVED, actor="ann")
    return row


def _assessment(row, next_review_on: date) -> ImpactAssessment:
    return ImpactAssessment(model_version=row, org="hkma", questionnaire="q",
                            questionnaire_version="1", submitted_by="ann", reviewer="rex",
                            status=AssessmentStatus.APPROVED.value,
                            next_review_on=next_review_on)


def test_building_the_platform_registers_the_gate(platform):
    assert "ethics.impact-assessment" in gates._GATES


@pytest.mark.parametrize("next_review_on, deploys", [
    (None, False),  # no assessment at all
    (date.today() - timedelta(days=1), False),  # its re-assessment date has passed
    (date.today() + timedelta(days=30), True),
])
def test_deployment_needs_a_current_approved_assessment(platform, next_review_on, deploys):
    platform.migrate()
    with platform.db.transaction() as session:
        row = _approved_version(platform, session)
        if next_review_on is not None:
            session.add(_assessment(row, next_review_on))
            session.flush()
        if deploys:
            assert transition(session, row, Status.DEPLOYED, actor="ann").status == "deployed"
        else:
            with pytest.raises(Conflict, match="approved, current impact assessment"):
                transition(session, row, Status.DEPLOYED, actor="ann")
