"""The responsible-AI pages: the model registry, one model's card and tests, the fairness
check from a predictions file, and an assessment's report. Each page has a JSON twin."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from aiplus.apps.responsible.api import columns, read_table
from aiplus.apps.responsible.monitoring import monitor_of
from aiplus.apps.responsible.report import report_sections
from aiplus.apps.responsible.service import ResponsibleAI, read_csv
from aiplus.core.errors import AiplusError
from aiplus.core.i18n import Bilingual
from aiplus.core.identity import Principal
from aiplus.ethics.assurance import PLUGINS
from aiplus.ethics.assurance.contract import AssuranceData
from aiplus.platform.negotiation import locale_of, translator_of
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, request_guard, require_user
from aiplus.platform.web.render import page

router = APIRouter(prefix="/responsible", include_in_schema=False)
HOME_TITLE = Bilingual("Model registry and assurance", "模型登記冊及保證測試")
FAIRNESS_TITLE = Bilingual("Fairness check", "公平性檢查")
ASSESSMENT_TITLE = Bilingual("Impact assessment {id}", "影響評估 {id}")


@router.get("")
def home(request: Request, principal: Principal = Depends(request_guard)) -> Response:
    models = ResponsibleAI(platform_of(request)).models()
    return page(request, "responsible_home.html", {"models": models, "count": len(models)},
                title=HOME_TITLE.get(locale_of(request)))


@router.get("/models/{name}/versions/{version}")
def model_page(request: Request, name: str, version: str,
               principal: Principal = Depends(request_guard)) -> Response:
    service = ResponsibleAI(platform_of(request))
    data = service.version(name, version)
    data["drift"] = monitor_of(platform_of(request), name, version)
    return page(request, "responsible_model.html", data,
                title=data["title"][locale_of(request)])


def _fairness_page(request: Request, form: dict[str, str], fairness: dict[str, Any] | None,
                   error: str | None, status: int = 200) -> Response:
    return page(request, "responsible_fairness.html",
                {"form": form, "fairness": fairness, "error": error},
                title=FAIRNESS_TITLE.get(locale_of(request)), status=status)


@router.get("/fairness")
def fairness_form(request: Request, principal: Principal = Depends(require_user)) -> Response:
    return _fairness_page(request, {"label": "", "pred": "", "score": "", "sensitive": ""},
                          None, None)


@router.post("/fairness")
async def fairness_check(
    request: Request, file: Annotated[UploadFile, File()],
    label: Annotated[str, Form(max_length=100)] = "",
    pred: Annotated[str, Form(max_length=100)] = "",
    score: Annotated[str, Form(max_length=100)] = "",
    sensitive: Annotated[str, Form(max_length=500)] = "",
    principal: Principal = Depends(require_user),
) -> Response:
    form = {"label": label, "pred": pred, "score": score, "sensitive": sensitive}
    try:
        data = await read_table(file)

        def run() -> dict[str, Any]:
            evidence = AssuranceData.from_predictions(
                read_csv(data), label=label, pred=pred, score=score or None,
                sensitive=columns(sensitive))
            return PLUGINS["fairness"].execute(evidence)[1]

        result = await run_in_threadpool(run)
    except AiplusError as problem:
        message = translator_of(request)(problem.message, **problem.params)
        return _fairness_page(request, form, None, message, status=problem.status_code)
    return _fairness_page(request, form, result, None)


@router.get("/assessments/{assessment_id}")
def assessment_page(request: Request, assessment_id: RowId,
                    principal: Principal = Depends(require_user)) -> Response:
    data = ResponsibleAI(platform_of(request)).assessment(principal, assessment_id)
    card = data["model_card"]
    return page(request, "responsible_assessment.html",
                {"data": data, "model_name": card["model"], "model_version": card["version"]},
                html={"sections": report_sections(data, locale_of(request))},
                title=ASSESSMENT_TITLE.get(locale_of(request)).format(id=assessment_id))
