"""The federated app's :class:`~aiplus.platform.registry.App`, found through the ``aiplus.apps``
entry point. The package itself stays light, so its CLI can load without the web stack."""

from datetime import date
from pathlib import Path

from aiplus.apps.federated.api import router as api_router
from aiplus.apps.federated.bench import benchmark
from aiplus.apps.federated.demo import load_demo_federation
from aiplus.apps.federated.jobs import run_job
from aiplus.apps.federated.service import CARD
from aiplus.apps.federated.web import router as pages_router
from aiplus.core.i18n import Bilingual
from aiplus.platform.registry import App, ImpactRecord, ModelCard

OWNER = "AI Plus platform team (federated learning)"
MODELS = (
    ModelCard(
        name="credit-fl", version="1",
        title=Bilingual("Federated credit default model", "聯邦信貸違約模型"),
        intended_use=CARD["intended_use"], out_of_scope=CARD["out_of_scope"],
        data=CARD["data"], limits=CARD["limits"], owner=OWNER,
        licence="Apache-2.0 (Flower); BSD-3-Clause (PyTorch); Apache-2.0 (XGBoost); "
                "CC BY 4.0 (UCI data)",
        source="flwr 1.42.0, torch, xgboost-cpu, UCI default of credit card clients"),
    ModelCard(
        name="credit-vertical-lr", version="1",
        title=Bilingual("Vertical bank-insurer logistic regression",
                        "銀行與保險公司縱向邏輯迴歸模型"),
        intended_use=Bilingual(
            "Combines a bank's and an insurer's columns on shared customers (found by private "
            "set intersection) under Paillier encryption, to study joint credit scoring.",
            "以私密集合交集找出共同客戶，在 Paillier 加密下結合銀行與保險公司的資料欄，研究聯合信貸評分。"),
        out_of_scope=Bilingual("Decisions about individual customers.", "就個別客戶作決定。"),
        data=Bilingual("UCI credit data with columns split between the two parties.",
                       "UCI 信貸數據，資料欄分屬兩方。"),
        limits=Bilingual("Taylor-approximated logistic loss; honest-but-curious parties; "
                         "scoring reveals the insurer's partial score for scored rows.",
                         "採用泰勒近似的邏輯損失；假設各方誠實但好奇；評分時會披露保險公司對被評分客戶的部分分數。"),
        owner=OWNER, licence="phe: GPL-3.0 per PyPI metadata, LGPL-3.0 per its repository; "
                "cryptography: Apache-2.0 or BSD-3-Clause",
        source="phe 1.5.0, cryptography X25519"),
)

app = App(
    slug="federated",
    requires=("compute", "data", "ethics", "federated", "guard", "models"),
    title=Bilingual("Federated learning", "聯邦學習"),
    summary=Bilingual(
        "Banks and insurers train shared credit models without sharing customers' data.",
        "銀行及保險公司在不共享客戶資料的情況下共同訓練信貸模型。"),
    seed_system=Bilingual("Federated learning for SME credit assessment (§11)",
                          "中小企信貸評估的聯邦學習（第11段）"),
    assessment=ImpactRecord(
        risk_level="high",
        summary=Bilingual(
            "Credit scoring affects people's access to credit. Customers' rows never leave "
            "their bank; only model updates travel, screened for poisoning, optionally masked "
            "(SecAgg+) and noised (differential privacy, epsilon reported). Participants need "
            "consent and data-use agreements in force; every round is journalled and the "
            "final model is registered with a fairness check by sex.",
            "信貸評分影響市民取得信貸的機會。客戶資料不會離開所屬銀行；只傳送經過投毒篩查的模型更新，並可選用安全聚合（SecAgg+）遮蔽及差分私隱加噪（報告 ε）。參與機構須有生效的同意書及資料使用協議；每一輪均有記錄，最終模型連同按性別的公平性檢查登記於模型登記冊。"),
        assessed_on=date(2026, 11, 25),
        assessor="AI Plus platform team",
        personal_data=True,
        human_oversight=Bilingual(
            "Credit officers decide; the score supports them. Reviewers see every rejected "
            "update as an incident.",
            "由信貸人員作決定，評分只作輔助。審核人員可查看每個被拒更新的事故記錄。"),
    ),
    api=api_router,
    pages=pages_router,
    templates=Path(__file__).resolve().parent / "templates",
    models=MODELS,
    benchmarks=(benchmark,),
    jobs=(run_job,),
    migrations=Path(__file__).resolve().parent / "migrations" / "versions",
    home_path="/federated",
    demo=load_demo_federation,
)
