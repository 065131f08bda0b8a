"""The model registry: registering versions, idempotence, lineage, lifecycle and app cards."""

import pytest

from aiplus.core.audit import AuditEntry
from aiplus.core.errors import Conflict, ValidationFailed
from aiplus.core.i18n import Bilingual
from aiplus.models.registry import (
    CardText,
    Lineage,
    Status,
    get_version,
    list_models,
    load_artefact,
    register_version,
    sha256_of,
    sync_app_cards,
    transition,
)

CARD = CardText(
    intended_use=Bilingual("Rank card holders by default risk.", "按違約風險排列持卡人。"),
    out_of_scope=Bilingual("Automatic refusal of credit.", "自動拒絕信貸。"),
    data=Bilingual("UCI credit card clients.", "UCI 信用卡客戶數據。"),
    limits=Bilingual("Taiwan 2005 data.", "2005 年台灣數據。"),
)
TITLE = Bilingual("Credit default", "信貸違約")


@pytest.fixture
def migrated(platform):
    platform.migrate()
    return platform


def _register(platform, session, version="1.0.0", artefact=b"model-bytes", **extra):
    return register_version(
        session, platform.files, name="credit-default", version=version, kind="lightgbm",
        org="hkma", actor="ann", title=TITLE, card=CARD,
        lineage=Lineage("uci-credit", file_sha256=sha256_of(b"data")),
        metrics={"auc": 0.78}, artefact=artefact, **extra)


def test_registers_versions_with_artefact_lineage_and_audit(migrated):
    with migrated.db.transaction() as session:
        row = _register(migrated, session)
        again = _register(migrated, session)
        assert again.id == row.id  # idempotent
        _register(migrated, session, version="1.1.0", artefact=b"other")
    with migrated.db.read() as session:
        latest = get_version(session, "credit-default")
        assert latest.version == "1.1.0" and latest.status == Status.DRAFT
        first = get_version(session, "credit-default", "1.0.0")
        assert load_artefact(migrated.files, first) == b"model-bytes"
        shown = first.as_dict()
        assert shown["artefact"]["sha256"] == sha256_of(b"model-bytes")
        assert shown["card"]["limits"]["zh-Hant"] == "2005 年台灣數據。"
        assert shown["lineage"]["dataset"] == "uci-credit"
        actions = [e.action for e in session.query(AuditEntry).all()]
        assert actions.count("registry.version.register") == 2


def test_refuses_changed_content_bad_names_and_missing_lineage(migrated):
    with migrated.db.transaction() as session:
        _register(migrated, session)
    with pytest.raises(Conflict), migrated.db.transaction() as session:
        _register(migrated, session, artefact=b"tampered")
    with pytest.raises(ValidationFailed) as bad, migrated.db.transaction() as session:
        register_version(session, migrated.files, name="Bad Name", version="1", kind="onnx",
                         org="hkma", actor="ann", title=TITLE, card=CARD,
                         lineage=Lineage("x", version="1"))
    assert bad.value.params["field"] == "name"
    with pytest.raises(ValidationFailed), migrated.db.transaction() as session:
        register_version(session, migrated.files, name="ok-name", version="1", kind="onnx",
                         org="hkma", actor="ann", title=TITLE, card=CARD,
                         lineage=Lineage("dataset-without-version"))


def test_lifecycle_refuses_skipped_states_and_unapproved_deployment(migrated):
    with migrated.db.transaction() as session:
        row = _register(migrated, session)
        with pytest.raises(Conflict):
            transition(session, row, Status.APPROVED, actor="ann")  # draft -> approved skips
        transition(session, row, Status.ASSESSED, actor="ann")
        transition(session, row, Status.APPROVED, actor="ann")
        with pytest.raises(Conflict) as refused:
            transition(session, row, Status.DEPLOYED, actor="ann")
        assert refused.value.params["name"] == "credit-default@1.0.0"
        transition(session, row, Status.RETIRED, actor="ann")
        with pytest.raises(Conflict):
            transition(session, row, Status.DRAFT, actor="ann")  # retired is final


def test_every_app_model_card_is_synced_once(migrated):
    declared = migrated.registry.models()
    with migrated.db.transaction() as session:
        added = sync_app_cards(session, migrated.files, migrated.registry)
    with migrated.db.transaction() as session:
        assert sync_app_cards(session, migrated.files, migrated.registry) == 0
        models = list_models(session)
    assert added == len(declared) > 0
    assert {app.slug for app, _ in declared} <= {m.app for m in models}
    assert all(m.org == "platform" for m in models)


def test_an_organisation_adopts_a_model_an_app_declared(migrated):
    with migrated.db.transaction() as session:
        sync_app_cards(session, migrated.files, migrated.registry)
        declared = list_models(session)[0]
        row = register_version(
            session, migrated.files, name=declared.name, version="org-1", kind="onnx",
            org="hkma", actor="ann", title=TITLE, card=CARD, lineage=Lineage("d", version="1"))
        assert row.model.org == "hkma" and len(row.model.versions) == 2
    with migrated.db.transaction() as session:
        assert sync_app_cards(session, migrated.files, migrated.registry) == 0
