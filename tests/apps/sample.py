"""A third-party style application used to test the app contract end to end."""

from datetime import date
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from aiplus.compute.jobs import JobKind
from aiplus.core.i18n import Bilingual
from aiplus.core.identity import Principal
from aiplus.platform.negotiation import locale_of
from aiplus.platform.registry import App, Benchmark, ImpactRecord, ModelCard
from aiplus.platform.security import require_user
from aiplus.platform.web.render import page

api = APIRouter(prefix="/api/sample")
pages = APIRouter(include_in_schema=False)


@api.post("/echo")
def echo(body: dict, principal: Principal = Depends(require_user)) -> dict:
    return {"echo": body, "by": principal.username}


@pages.get("/sample")
def sample_page(request: Request) -> Response:
    return page(request, "sample.html", {"greeting": "hello"}, title="Sample",
                html={"where": locale_of(request)})


def _job(ctx, params):
    ctx.progress(100, "done")
    return {"ok": True}


app = App(
    slug="sample-app",
    title=Bilingual("Sample", "樣本"),
    summary=Bilingual("A sample app.", "樣本應用。"),
    seed_system=Bilingual("test §0", "測試 第0段"),
    assessment=ImpactRecord("medium", Bilingual("s", "s"), date(2026, 1, 1), "tester", True,
                            Bilingual("a person checks", "由人員核查")),
    api=api,
    pages=pages,
    templates=Path(__file__).resolve().parent / "sample_templates",
    jobs=(JobKind("sample.job", _job, "Sample job", "樣本工作"),),
    models=(ModelCard(
        name="sample-clf", version="1.2.0", title=Bilingual("Sample classifier", "樣本分類器"),
        intended_use=Bilingual("testing", "測試"), out_of_scope=Bilingual("real use", "實際使用"),
        data=Bilingual("synthetic", "合成數據"), limits=Bilingual("none known", "未知"),
        owner="hk-dpo", licence="Apache-2.0", source="made in tests", metrics={"auc": 0.91},
    ),),
    benchmarks=(Benchmark("sample-bench", "a sample", lambda quick=False: {"rows": [], "passed": True}),),
    home_path="/sample",
)
