"""The traffic app's :class:`~aiplus.platform.registry.App`, found through the ``aiplus.apps``
entry point. The package itself stays light, so its CLI can load without the web stack."""

from datetime import date
from pathlib import Path

from fastapi import APIRouter

from aiplus.apps.traffic.signals import card as signals
from aiplus.apps.traffic.api import router as api_router
from aiplus.apps.traffic.bench import benchmark
from aiplus.apps.traffic.demo import load_demo
from aiplus.apps.traffic.jobs import JOBS
from aiplus.apps.traffic.signals import api as signals_api
from aiplus.apps.traffic.signals import web as signals_web
from aiplus.apps.traffic.web import router as pages_router
from aiplus.core.i18n import Bilingual
from aiplus.platform.registry import App, ImpactRecord, ModelCard

HERE = Path(__file__).resolve().parent
OWNER = "AI Plus platform team (traffic forecasting)"
MODELS = (
    ModelCard(
        name="traffic-journey-time-lightgbm", version="1",
        title=Bilingual("Journey-time forecaster (gradient boosting per horizon)",
                        "行車時間預測模型（按預測時距的梯度提升）"),
        intended_use=Bilingual(
            "Forecasts each route's journey time 15 to 90 minutes ahead, with a 90% "
            "conformal interval, from the route's past, the calendar (Hong Kong holidays) "
            "and rainfall.",
            "根據路線過往數據、日曆（香港公眾假期）及雨量，預測每條路線未來15至90分鐘的行車時間，並附90%保形區間。"),
        out_of_scope=Bilingual("Incident detection; enforcement; individual vehicles.",
                               "偵測事故；執法；個別車輛。"),
        data=Bilingual(
            "Learns from the ingested feed history (demo: a SUMO simulation of a corridor); "
            "falls back to persistence or historical average when it does not beat them.",
            "以已收集的數據訓練（示範：SUMO 模擬走廊）；若未能勝過基準則改用最近觀測值或歷史平均。"),
        limits=Bilingual(
            "Unforeseen incidents are caught only once they show in the data; intervals "
            "assume the future resembles recent weeks.",
            "突發事故要在數據中出現後才能反映；區間假設未來與近數週相似。"),
        owner=OWNER, licence="MIT (LightGBM)", source="lightgbm, holidays (MIT)"),
    ModelCard(
        name="traffic-network-stid", version="1",
        title=Bilingual("Network-wide forecaster (STID)", "全網絡預測模型（STID）"),
        intended_use=Bilingual(
            "Forecasts all routes at once from their last hour with node, time-of-day and "
            "day-of-week embeddings; used in the benchmark for network-wide comparison.",
            "以各路線最近一小時數據及節點、時段、星期嵌入，同時預測所有路線；用於基準測試的全網絡比較。"),
        out_of_scope=Bilingual("Networks it was not trained on.", "未經訓練的路網。"),
        data=Bilingual("Trained on the simulated corridor's journey times.",
                       "以模擬走廊的行車時間訓練。"),
        limits=Bilingual("Small training sets make it weaker than boosting.",
                         "訓練數據少時表現不及梯度提升。"),
        owner=OWNER, licence="BSD-3-Clause (PyTorch)", source="torch 2.13.0 (CPU)"),
)


def _joined(*routers: APIRouter) -> APIRouter:
    """One router from the forecasting and the signals halves."""
    joined = APIRouter()
    for router in routers:
        joined.include_router(router)
    return joined


app = App(
    slug="traffic",
    cli="aiplus.apps.traffic.cli:cli",
    requires=("compute",),
    title=Bilingual("Traffic forecasting and adaptive signals", "交通預測及自適應交通燈"),
    summary=Bilingual("Forecasts journey times 15 to 90 minutes ahead and times traffic signals adaptively, aware of waiting pedestrians.", "預測未來15至90分鐘的行車時間，並因應等候過路的行人自適應調整交通燈。"),
    seed_system=Bilingual("Traffic Data Analytics System (§30) and Real-time Adaptive Traffic Signal System (§31)", "交通數據分析系統（第30段）及實時自動調節交通燈系統（第31段）"),
    assessment=ImpactRecord(
        risk_level="medium",
        summary=Bilingual(
            "Publishes forecast journey times and simulates signal plans; it makes no "
            "decision about a person. Forecasts state their interval and any fallback.",
            "發布行車時間預測及模擬交通燈方案；不會就任何人作出決定。預測會列明區間及任何後備方法。"),
        assessed_on=date(2026, 11, 25),
        assessor="AI Plus platform team",
        personal_data=True,
        human_oversight=Bilingual(
            "Traffic officers review forecasts against observations on the map page and "
            "decide on any signal plan change.",
            "交通人員在地圖頁面比較預測與觀測，並決定是否更改交通燈方案。"),
    ),
    api=_joined(api_router, signals_api.router),
    pages=_joined(pages_router, signals_web.router),
    templates=tuple(folder for folder in (HERE / "templates", HERE / "signals" / "templates")
                    if folder.is_dir()),
    jobs=(*JOBS, *signals.JOBS),
    models=(*MODELS, *signals.MODELS),
    benchmarks=(benchmark,),
    migrations=HERE / "migrations" / "versions",
    home_path="/traffic",
    demo=load_demo,
)
