"""The aisecurity app's :class:`~aiplus.platform.registry.App`, found through the ``aiplus.apps``
entry point. The package itself stays light, so its CLI can load without the web stack."""

from datetime import date

from fastapi import APIRouter

from aiplus.apps.aisecurity.bench import benchmark as guard_benchmark
from aiplus.core.i18n import Bilingual
from aiplus.guard import routes as guard_routes
from aiplus.guard.pii import api as pii_api
from aiplus.guard.pii.phone_bench import benchmark as pii_benchmark
from aiplus.gateway import admin as gateway_admin, api as gateway_api, bench as gateway_bench
from aiplus.gateway import llm_bench
from aiplus.gateway import web as gateway_web
from aiplus.gateway.card import LOCAL_MODEL_CARD
from aiplus.gateway.openai_errors import OPENAI_ERRORS
from aiplus.platform.registry import App, ImpactRecord


def _joined(*routers: APIRouter) -> APIRouter:
    """One router from the pillars' routers: the gateway, the PII engine and the guard."""
    joined = APIRouter()
    for router in routers:
        joined.include_router(router)
    return joined


app = App(
    slug="ai-security",
    requires=("gateway", "guard"),
    title=Bilingual("GenAI gateway and AI security monitor", "生成式人工智能閘道及人工智能安全監察"),
    summary=Bilingual(
        "OpenAI-compatible access to local and remote language models, with Hong Kong personal "
        "data protection, guardrails, incidents and red-teaming.",
        "以兼容 OpenAI 的介面使用本地及遠端語言模型，並提供香港個人資料保護、防護欄、事故記錄及紅隊測試。",
    ),
    seed_system=Bilingual(
        "A system for monitoring AI security (LegCo motion); PCPD Model Personal Data "
        "Protection Framework",
        "監察人工智能安全的系統（立法會議案）；私隱專員公署《人工智能：個人資料保障模範框架》",
    ),
    assessment=ImpactRecord(
        risk_level="high",
        summary=Bilingual(
            "Every generative-AI call passes through it; it may block prompts and redact "
            "personal data, and it records incidents about users' requests.",
            "所有生成式人工智能請求均經此處理；它可阻擋提示及遮蓋個人資料，並記錄與用戶請求有關的事故。",
        ),
        assessed_on=date(2026, 11, 25),
        assessor="AI Plus platform team",
        personal_data=True,
        human_oversight=Bilingual(
            "Security officers review incidents and red-team reports; policies are set per "
            "organisation and application by administrators.",
            "保安人員覆核事故及紅隊報告；管理員按機構及應用設定政策。",
        ),
    ),
    api=_joined(gateway_api.router, gateway_admin.router, pii_api.router, guard_routes.api),
    pages=_joined(gateway_web.router, guard_routes.pages),
    templates=(gateway_web.TEMPLATES, *guard_routes.TEMPLATES),
    jobs=guard_routes.JOBS,
    models=(LOCAL_MODEL_CARD,),
    benchmarks=(guard_benchmark, pii_benchmark, gateway_bench.BENCHMARK,
                llm_bench.BENCHMARK),
    error_shapes=(OPENAI_ERRORS,),
    home_path="/security/monitor",
)
