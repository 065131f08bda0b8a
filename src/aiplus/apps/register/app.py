"""The register app's :class:`~aiplus.platform.registry.App`, found through the ``aiplus.apps``
entry point. The package itself stays light, so its CLI can load without the web stack."""

from datetime import date
from pathlib import Path

from aiplus.apps.register.api import router as api_router
from aiplus.apps.register.bench import benchmark
from aiplus.apps.register.jobs import snapshot_job
from aiplus.apps.register.web import router as pages_router
from aiplus.core.i18n import Bilingual
from aiplus.platform.registry import App, ImpactRecord

app = App(
    slug="ai-register",
    requires=("compute", "ethics", "models"),
    title=Bilingual("AI register", "人工智能登記冊"),
    summary=Bilingual(
        "Every AI application and model on this platform, with its model card and its "
        "Ethical AI impact-assessment status.",
        "本平台上每個人工智能應用及模型，連同其模型卡及《道德人工智能框架》影響評估狀況。",
    ),
    seed_system=Bilingual(
        "Ethical AI Framework (§14): a public record of AI applications",
        "《道德人工智能框架》（第14段）：人工智能應用的公開記錄",
    ),
    assessment=ImpactRecord(
        risk_level="low",
        summary=Bilingual(
            "Publishes metadata about other systems; makes no decisions about people.",
            "只公佈其他系統的元數據，不會對任何人作出決定。",
        ),
        assessed_on=date(2026, 11, 25),
        assessor="AI Plus platform team",
        personal_data=False,
        human_oversight=Bilingual(
            "Entries come from each application's owners and are reviewed with the app.",
            "登記資料由各應用的負責人提供，並與應用一併覆核。",
        ),
    ),
    api=api_router,
    pages=pages_router,
    templates=Path(__file__).resolve().parent / "templates",
    jobs=(snapshot_job,),
    benchmarks=(benchmark,),
    home_path="/register",
)
