"""The opendata app's :class:`~aiplus.platform.registry.App`, found through the ``aiplus.apps``
entry point. The package itself stays light, so its CLI can load without the web stack."""

from datetime import date
from pathlib import Path

from aiplus.apps.opendata.api import router as api_router
from aiplus.apps.opendata.bench import benchmark
from aiplus.apps.opendata.demo import load_demo_catalogue
from aiplus.apps.opendata.web import router as pages_router
from aiplus.core.i18n import Bilingual
from aiplus.data.ckan_api.router import CKAN_ERRORS
from aiplus.data.spatial import ogc
from aiplus.data.spatial import preview as spatial_preview
from aiplus.platform.registry import App, ErrorShape, ImpactRecord

app = App(
    slug="open-data",
    cli="aiplus.apps.opendata.cli:cli",
    requires=("data",),
    title=Bilingual("Open data portal", "開放數據平台"),
    summary=Bilingual(
        "Datasets from bureaux and departments as raw material for AI research, through the "
        "same CKAN API as DATA.GOV.HK, with personal-data checks before anything is published.",
        "各政策局及部門的數據集，作為人工智能研發的原材料；提供與資料一線通相同的 CKAN API，"
        "並在發佈前檢查個人資料。",
    ),
    seed_system=Bilingual(
        "Open Data Portal: 5,500+ datasets in 19 categories from 110+ organisations",
        "開放數據平台：來自逾110個機構、19個類別的5,500多個數據集",
    ),
    assessment=ImpactRecord(
        risk_level="medium",
        summary=Bilingual(
            "Publishes government data; the risk is releasing personal data by mistake, which "
            "the upload scan and publication rules guard against.",
            "發佈政府數據；主要風險是誤發個人資料，上載掃描及發佈規則對此加以防範。",
        ),
        assessed_on=date(2026, 11, 25),
        assessor="AI Plus platform team",
        personal_data=False,
        human_oversight=Bilingual(
            "A data steward of the owning organisation publishes every dataset and sees every "
            "scan finding first.",
            "每個數據集均由所屬機構的數據管理員發佈，並由其先審閱所有掃描結果。",
        ),
    ),
    api=api_router,
    pages=pages_router,
    home_path="/data",
    templates=Path(__file__).resolve().parent / "templates",
    error_shapes=(CKAN_ERRORS, ErrorShape(("/ogc",), ogc.render_error)),
    static=((spatial_preview.STATIC_URL, spatial_preview.STATIC),),
    benchmarks=(benchmark,),
    demo=load_demo_catalogue,
)
