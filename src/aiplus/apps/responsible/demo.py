"""The worked example ``aiplus demo load`` loads: a credit-default model on the real UCI
credit-card data, registered, tested, assessed, approved, deployed and monitored.

Every step goes through the same functions as the API, as the demo bank's analyst (who
registers, tests and submits) and its reviewer (who signs off), so the audit log shows the
whole lifecycle. Idempotent: a second run finds the deployed version and stops.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from aiplus.apps.responsible import credit
from aiplus.apps.responsible.monitoring import create_monitor, run_check
from aiplus.core import audit, identity
from aiplus.core.i18n import Bilingual
from aiplus.core.identity import Principal
from aiplus.ethics.assessment import store as assessments
from aiplus.ethics.assessment.questionnaire import load as load_questionnaire
from aiplus.ethics.assurance.contract import AssuranceData
from aiplus.ethics.assurance.store import run_suite, store_suite
from aiplus.models.registry import (
    CardText,
    Lineage,
    RegisteredModel,
    Status,
    register_version,
    sync_app_cards,
    transition,
)
from aiplus.platform.services import Platform

ORG = ("demo-bank", "Harbour Demonstration Bank", "維港示範銀行")
ANALYST = Principal(username="demo-bank-analyst", user_id=0, roles={"demo-bank": "officer"},
                    via="demo")
REVIEWER = Principal(username="demo-bank-reviewer", user_id=0,
                     roles={"demo-bank": "reviewer"}, via="demo")
NAME, VERSION = "credit-default", "1.0.0"
ROUNDS = credit.ROUNDS
SUITE_PARAMS = {"explainability": {"sample": 1000}, "robustness": {"sample": 3000}}
TITLE = Bilingual("Credit-card default risk (worked example)", "信用卡違約風險（示例）")
CARD = CardText(
    intended_use=Bilingual(
        "Rank credit-card holders by their risk of default next month, so that officers can "
        "offer repayment help early. Decisions stay with a person.",
        "按下月違約風險排列信用卡持有人，讓人員及早提供還款協助。決定仍由人員作出。"),
    out_of_scope=Bilingual(
        "Automatic refusal or cancellation of credit; pricing; any use outside the card "
        "population it was trained on.",
        "自動拒絕或取消信貸；定價；用於訓練數據以外的持卡人群。"),
    data=Bilingual(
        "UCI 'default of credit card clients' (Yeh & Lien, 2009): 30,000 card holders in "
        "Taiwan, April to September 2005, CC BY 4.0. SEX and MARRIAGE are not used as "
        "features; 70/30 stratified split.",
        "UCI「信用卡客戶違約」數據（Yeh 及 Lien，2009）：2005年4月至9月台灣30,000名持卡人，"
        "CC BY 4.0。性別及婚姻狀況不作特徵使用；按70/30分層劃分。"),
    limits=Bilingual(
        "Old data from another market; education codes 0, 5 and 6 are undocumented; "
        "calibrated on the test split only; fairness figures are for this population.",
        "數據年代久遠且來自其他市場；教育程度代碼0、5及6未有說明；只在測試集上校準；"
        "公平性數字只適用於此人群。"),
)
ANSWERS = {
    "decisions": "recommends", "reversibility": "hard", "personal-data": "sensitive",
    "people": "many", "vulnerable": "yes", "oversight": "every", "opacity": "explained",
    "cross-boundary-flow": "no",
}


def _people(platform: Platform) -> None:
    slug, name_en, name_zh = ORG
    with platform.db.transaction() as session:
        if not session.scalar(select(identity.Organisation.id)
                              .where(identity.Organisation.slug == slug)):
            identity.create_org(session, slug, name_en, name_zh, "bank")
            audit.record(session, actor="demo-loader", org=slug, action="org.create",
                         target=f"org:{slug}")
        for person, role in ((ANALYST, "officer"), (REVIEWER, "reviewer")):
            if not session.scalar(select(identity.User.id)
                                  .where(identity.User.username == person.username)):
                identity.create_user(session, person.username, org=slug, role=role)
                audit.record(session, actor="demo-loader", org=slug, action="user.create",
                             target=f"user:{person.username}", detail={"role": role})


def _answers() -> dict[str, str]:
    """The impact answers above; every mitigation practice recorded as done, except the
    cross-boundary checks, which do not apply (no data leaves Hong Kong)."""
    answers = dict(ANSWERS)
    for question in load_questionnaire().questions:
        if question.kind == "mitigation":
            answers[question.id] = "not-applicable" if question.section == "gba" else "done"
    return answers


def load_demo(platform: Platform) -> str:
    with platform.db.transaction() as session:
        sync_app_cards(session, platform.files, platform.registry)
        deployed = session.scalar(select(RegisteredModel).where(RegisteredModel.name == NAME))
        if deployed is not None and any(v.status == Status.DEPLOYED for v in deployed.versions):
            return "credit-default already deployed"
    _people(platform)
    example = credit.train(rounds=ROUNDS)
    data = AssuranceData.from_model(example.model.score, example.test_features,
                                    example.test_label, sensitive=example.test_sensitive,
                                    tree_model=example.booster)
    done = run_suite(data, params=SUITE_PARAMS)
    with platform.db.transaction() as session:
        row = register_version(
            session, platform.files, name=NAME, version=VERSION, kind="lightgbm",
            org=ORG[0], actor=ANALYST.actor, title=TITLE, card=CARD,
            lineage=Lineage("uci-default-of-credit-card-clients",
                            file_sha256=example.data_sha256, rows=30000,
                            note="aiplus.data.samples.uci_credit_card.csv.gz"),
            metrics=example.metrics, artefact=example.artefact, app="responsible-ai")
        if not row.results:
            store_suite(session, row, done, ANALYST.actor)
        found = assessments.start(session, ANALYST, row, _answers())
        assessments.submit(session, ANALYST, found)
        assessments.review(session, REVIEWER, found, approve=True,
                           note="Worked example: fairness and performance reviewed.")
        transition(session, row, Status.DEPLOYED, actor=ANALYST.actor,
                   reason="worked example")
    scores = example.model.score(example.test_features)
    frame = example.test_features.assign(score=scores)
    halves = np.arange(len(frame)) % 2 == 0
    monitor = create_monitor(
        platform, ANALYST, NAME, VERSION, reference=frame[halves], recent=frame[~halves],
        columns=list(example.test_features.columns), prediction_column="score")
    check = run_check(platform.db, platform.files, monitor["id"], actor=ANALYST.actor)
    return (f"{NAME}@{VERSION}: AUC {example.metrics['auc']:.3f}, {len(done)} tests, "
            f"approved and deployed; drift check: "
            f"{'drift' if check['drifted'] else 'no drift'}")
