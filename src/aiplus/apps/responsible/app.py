"""The responsible app's :class:`~aiplus.platform.registry.App`, found through the ``aiplus.apps``
entry point. The package itself stays light, so its CLI can load without the web stack."""

from datetime import date
from pathlib import Path

from aiplus.apps.responsible.api import router as api_router
from aiplus.apps.responsible.bench import benchmark
from aiplus.apps.responsible.demo import load_demo
from aiplus.apps.responsible.jobs import drift_job
from aiplus.apps.responsible.web import router as pages_router
from aiplus.core.i18n import Bilingual
from aiplus.platform.registry import App, ImpactRecord

app = App(
    slug="responsible-ai",
    requires=("compute", "data", "ethics", "guard", "models"),
    title=Bilingual("Responsible AI: model registry and assurance",
                    "負責任人工智能：模型登記及保證測試"),
    summary=Bilingual(
        "Registers models with bilingual model cards, runs the Ethical AI impact assessment "
        "and assurance tests, and monitors drift.",
        "以雙語模型卡登記模型，進行道德人工智能影響評估及保證測試，並監察數據漂移。"),
    seed_system=Bilingual(
        "Ethical AI Framework (§14), PCPD Model Framework (§20), explainable AI in finance (§18)",
        "《道德人工智能框架》（第14段）、私隱專員公署模型框架（第20段）、金融業可解釋人工智能（第18段）"),
    assessment=ImpactRecord(
        risk_level="low",
        summary=Bilingual(
            "Measures and records other models; makes no decision about people. Its figures "
            "inform reviewers, who decide.",
            "量度及記錄其他模型，不會對任何人作出決定；其數字供覆核人員參考，由覆核人員決定。"),
        assessed_on=date(2026, 11, 25),
        assessor="AI Plus platform team",
        personal_data=True,
        human_oversight=Bilingual(
            "A reviewer other than the submitter signs off every assessment; deployment needs "
            "that approval.",
            "每項評估須由提交人以外的覆核人員簽批；部署須獲該批准。"),
    ),
    api=api_router,
    pages=pages_router,
    templates=Path(__file__).resolve().parent / "templates",
    jobs=(drift_job,),
    benchmarks=(benchmark,),
    home_path="/responsible",
    demo=load_demo,
)
