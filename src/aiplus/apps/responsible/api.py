"""The registry, assurance tests and impact assessments over JSON.

Reads of the registry (model cards, versions, test results) are public, as the AI register is;
every write needs a signed-in user with a role in the model's organisation; assessments are
read only by that organisation's officers and reviewers.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from aiplus.apps.responsible.report import report_html, report_pdf
from aiplus.apps.responsible.service import ResponsibleAI, read_csv
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal
from aiplus.ethics.assurance import PLUGINS
from aiplus.ethics.assurance.contract import AssuranceData
from aiplus.ethics.assurance.store import plugin_named
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, require_user
from aiplus.platform.uploads import read_upload

router = APIRouter(prefix="/api/responsible", tags=["responsible-ai"])
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TABLE_KINDS = frozenset({"csv", "tsv", "txt"})
NOT_A_TABLE = N_("Please upload the predictions as a CSV file.")
Name = Annotated[str, Field(min_length=2, max_length=100)]


class BilingualText(BaseModel):
    en: str = Field(min_length=1, max_length=4000)
    zh_hant: str = Field(alias="zh-Hant", min_length=1, max_length=4000)


class CardBody(BaseModel):
    intended_use: BilingualText
    out_of_scope: BilingualText
    data: BilingualText
    limits: BilingualText


class LineageBody(BaseModel):
    dataset: str = Field(min_length=1, max_length=200)
    version: str | None = Field(default=None, max_length=100)
    file_sha256: str | None = Field(default=None, max_length=64)
    rows: int | None = Field(default=None, ge=0)
    note: str = Field(default="", max_length=1000)


class RegisterBody(BaseModel):
    name: Name
    version: str = Field(min_length=1, max_length=40)
    kind: Literal["sklearn", "lightgbm", "xgboost", "pytorch", "onnx", "llm-endpoint", "other"]
    org: str = Field(min_length=2, max_length=63)
    title_en: str = Field(min_length=1, max_length=200)
    title_zh: str = Field(min_length=1, max_length=200)
    card: CardBody
    lineage: LineageBody
    metrics: dict[str, float] = Field(default_factory=dict, max_length=100)
    artefact_base64: str | None = Field(default=None, max_length=70 * 1024 * 1024)


class StatusBody(BaseModel):
    """Assessed and approved come only from an assessment's submission and sign-off."""

    status: Literal["deployed", "retired"]
    reason: str = Field(default="", max_length=1000)


class AnswersBody(BaseModel):
    answers: dict[str, str] = Field(default_factory=dict, max_length=500)


class ReviewBody(BaseModel):
    approve: bool
    note: str = Field(default="", max_length=2000)


async def read_table(upload: UploadFile) -> bytes:
    """A predictions CSV through the platform's reader (size, type from content)."""
    checked = await read_upload(upload, max_bytes=MAX_UPLOAD_BYTES, accept=TABLE_KINDS,
                                unsupported=NOT_A_TABLE)
    return checked.data


async def read_evidence(upload: UploadFile) -> bytes:
    """Evidence of any kind, still checked by the platform's reader: a renamed binary, an
    archive or image bomb is refused before it is stored."""
    return (await read_upload(upload, max_bytes=MAX_UPLOAD_BYTES)).data


def service(request: Request) -> ResponsibleAI:
    return ResponsibleAI(platform_of(request))


def columns(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


@router.get("/models", summary="Every registered model with its latest version")
def models(request: Request) -> dict[str, Any]:
    found = service(request).models()
    return {"models": found, "count": len(found)}


@router.get("/models/{name}", summary="The newest version of a model, with its card")
def model(request: Request, name: str) -> dict[str, Any]:
    return service(request).version(name)


@router.get("/models/{name}/versions/{version}", summary="One version, with its card and tests")
def model_version(request: Request, name: str, version: str) -> dict[str, Any]:
    return service(request).version(name, version)


@router.get("/models/{name}/compare", summary="One test's headline figures across versions")
def compare_versions(request: Request, name: str,
                     plugin: Annotated[str, Query(max_length=40)] = "fairness"
                     ) -> dict[str, Any]:
    plugin_named(plugin)
    return {"model": name, "plugin": plugin, "versions": service(request).compare(name, plugin)}


@router.get("/results/{result_id}", summary="One stored assurance result in full")
def result(request: Request, result_id: RowId) -> dict[str, Any]:
    return service(request).result(result_id)


@router.get("/plugins", summary="The assurance tests and their JSON Schemas")
def plugins() -> dict[str, Any]:
    return {"plugins": [{"name": p.name, "version": p.version, "title": p.title.as_dict(),
                         "needs": sorted(p.needs), "input_schema": p.input_schema,
                         "output_schema": p.output_schema} for p in PLUGINS.values()]}


@router.get("/questionnaire", summary="The impact-assessment questionnaire (bilingual)")
def questionnaire() -> dict[str, Any]:
    return ResponsibleAI.questionnaire()


@router.post("/models", status_code=201, summary="Register a model version (draft)")
def register(request: Request, body: RegisterBody,
             principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return service(request).register(principal, body.model_dump(by_alias=True))


@router.post("/models/{name}/versions/{version}/status", summary="Move a version's lifecycle")
def set_status(request: Request, name: str, version: str, body: StatusBody,
               principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return service(request).set_status(principal, name, version, body.status, body.reason)


@router.post("/models/{name}/versions/{version}/assure",
             summary="Run assurance tests on an uploaded CSV and store the results")
async def assure(
    request: Request, name: str, version: str, file: Annotated[UploadFile, File()],
    label: Annotated[str, Form(min_length=1, max_length=100)],
    pred: Annotated[str, Form(max_length=100)] = "",
    score: Annotated[str, Form(max_length=100)] = "",
    sensitive: Annotated[str, Form(max_length=500)] = "",
    plugins: Annotated[str, Form(max_length=200)] = "",
    principal: Principal = Depends(require_user),
) -> dict[str, Any]:
    data = await read_table(file)
    return await run_in_threadpool(
        service(request).assure, principal, name, version, data, label=label,
        pred=pred or None, score=score or None, sensitive=columns(sensitive),
        plugins=columns(plugins) or None)


@router.post("/fairness", summary="Fairness from a predictions CSV alone (nothing stored)")
async def fairness(
    request: Request, file: Annotated[UploadFile, File()],
    label: Annotated[str, Form(min_length=1, max_length=100)],
    pred: Annotated[str, Form(min_length=1, max_length=100)],
    sensitive: Annotated[str, Form(min_length=1, max_length=500)],
    score: Annotated[str, Form(max_length=100)] = "",
    principal: Principal = Depends(require_user),
) -> dict[str, Any]:
    data = await read_table(file)

    def run() -> dict[str, Any]:
        evidence = AssuranceData.from_predictions(read_csv(data), label=label, pred=pred,
                                                  score=score or None,
                                                  sensitive=columns(sensitive))
        return PLUGINS["fairness"].execute(evidence)[1]

    return await run_in_threadpool(run)


@router.post("/models/{name}/versions/{version}/assessments", status_code=201,
             summary="Start an impact assessment of a version")
def start_assessment(request: Request, name: str, version: str, body: AnswersBody,
                     principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return service(request).start_assessment(principal, name, version, body.answers)


@router.get("/assessments/{assessment_id}", summary="One assessment (its organisation only)")
def assessment(request: Request, assessment_id: RowId,
               principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return service(request).assessment(principal, assessment_id)


@router.post("/assessments/{assessment_id}/answers", summary="Change a draft's answers")
def answer(request: Request, assessment_id: RowId, body: AnswersBody,
           principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return service(request).answer(principal, assessment_id, body.answers)


@router.post("/assessments/{assessment_id}/submit", summary="Submit for sign-off")
def submit(request: Request, assessment_id: RowId,
           principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return service(request).submit(principal, assessment_id)


@router.post("/assessments/{assessment_id}/review", summary="A reviewer approves or rejects")
def review(request: Request, assessment_id: RowId, body: ReviewBody,
           principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return service(request).review(principal, assessment_id, body.approve, body.note)


@router.post("/assessments/{assessment_id}/evidence", status_code=201,
             summary="Attach a file of evidence")
async def evidence(request: Request, assessment_id: RowId, file: Annotated[UploadFile, File()],
                   principal: Principal = Depends(require_user)) -> dict[str, Any]:
    data = await read_evidence(file)
    return service(request).attach(principal, assessment_id, file.filename or "evidence", data)


@router.get("/assessments/{assessment_id}/report.pdf", response_class=Response,
            summary="The assessment report as PDF")
def report_as_pdf(request: Request, assessment_id: RowId,
                  principal: Principal = Depends(require_user)) -> Response:
    data = service(request).assessment(principal, assessment_id)
    return Response(report_pdf(data), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="assessment-{assessment_id}.pdf"'})


@router.get("/assessments/{assessment_id}/report.html", response_class=Response,
            summary="The assessment report as a standalone HTML file")
def report_as_html(request: Request, assessment_id: RowId,
                   principal: Principal = Depends(require_user)) -> Response:
    data = service(request).assessment(principal, assessment_id)
    return Response(report_html(request, data), media_type="text/html; charset=utf-8")
