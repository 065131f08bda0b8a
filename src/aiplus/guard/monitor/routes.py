"""Everything the guard areas contribute to the ai-security App, in one place for wiring:
API routers, page router, template folder, job kinds and benchmarks."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from aiplus.guard.monitor import api as monitor_api, web as monitor_web
from aiplus.guard.redteam import api as redteam_api
from aiplus.guard.redteam.service import redteam_job
from aiplus.guard.scanners.bench import benchmark
from aiplus.guard.scanners import api as scanners_api

api = APIRouter()
for _router in (scanners_api.router, monitor_api.router, redteam_api.router):
    api.include_router(_router)
pages = monitor_web.router
TEMPLATES = Path(__file__).resolve().parent / "templates"
JOBS = (redteam_job,)
BENCHMARKS = (benchmark,)
