"""Federated learning over HTTP: the participant registry, agreements, and runs (jobs)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from aiplus.apps.federated.service import Federation, RunSettings
from aiplus.core.identity import Principal
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, require_user

router = APIRouter(prefix="/api/federated", tags=["federated"])
Org = Query(max_length=63, description="The coordinating organisation's slug.")


class ParticipantBody(BaseModel):
    org: str = Field(max_length=63)
    name: str = Field(min_length=1, max_length=100)
    kind: Literal["bank", "insurer", "other"] = "bank"
    contact: str = Field(default="", max_length=200)


class AgreementBody(BaseModel):
    kind: Literal["consent", "data-use"]
    purpose: str = Field(min_length=1, max_length=2000)
    signed_by: str = Field(min_length=1, max_length=200)
    signed_on: date
    expires_on: date | None = None


class RunBody(BaseModel):
    org: str = Field(max_length=63)
    participant_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        min_length=2, max_length=20)
    model: Literal["lr", "mlp", "xgb"] = "lr"
    strategy: Literal["fedavg", "fedprox"] = "fedavg"
    partition: str = Field(default="dirichlet:0.5", max_length=100)
    rounds: int = Field(default=3, ge=1, le=30)
    secagg: bool = False
    dp_epsilon: float | None = Field(default=None, gt=0, le=100)
    rows: int = Field(default=6000, ge=500, le=30000)


@router.get("/participants", summary="Participants of a federation and their agreements")
def participants(request: Request, org: str = Org,
                 principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"participants": Federation(platform_of(request)).participants(principal, org)}


@router.post("/participants", summary="Register a participant", status_code=201)
def register(request: Request, body: ParticipantBody,
             principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Federation(platform_of(request)).register(principal, body.org, body.name,
                                                     body.kind, body.contact)


@router.post("/participants/{participant_id}/agreements", status_code=201,
             summary="Record a signed consent or data-use agreement")
def agree(request: Request, participant_id: RowId, body: AgreementBody,
          principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Federation(platform_of(request)).agree(
        principal, participant_id, body.kind, body.purpose, body.signed_by, body.signed_on,
        body.expires_on)


@router.get("/runs", summary="Runs of a federation, newest first, for comparison")
def runs(request: Request, org: str = Org,
         principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"runs": Federation(platform_of(request)).runs(principal, org)}


@router.post("/runs", summary="Start a federated training run (a job)", status_code=202)
def start(request: Request, body: RunBody,
          principal: Principal = Depends(require_user)) -> dict[str, Any]:
    settings = RunSettings(**body.model_dump(exclude={"org"}))
    return Federation(platform_of(request)).start(principal, body.org, settings)


@router.get("/runs/{run_id}", summary="One run: settings, results and its round journal")
def run(request: Request, run_id: RowId,
        principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Federation(platform_of(request)).run(principal, run_id)
