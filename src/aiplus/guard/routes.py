"""Everything the guard areas contribute to the ai-security App, in one place for wiring:
API routers, page router, template folders, job kinds and benchmarks."""

from __future__ import annotations

from fastapi import APIRouter

from aiplus.guard import api as guard_api
from aiplus.guard.monitor import api as monitor_api, web as monitor_web
from aiplus.guard.redteam import api as redteam_api, runner, web as redteam_web
from aiplus.guard.redteam.jobs import redteam_job
from aiplus.guard.scanners.bench import benchmark

api = APIRouter()
for _router in (guard_api.router, monitor_api.router, redteam_api.router):
    api.include_router(_router)
pages = APIRouter()
for _router in (monitor_web.router, redteam_web.router):
    pages.include_router(_router)
TEMPLATES = (monitor_web.TEMPLATES, runner.TEMPLATES)
JOBS = (redteam_job,)
BENCHMARKS = (benchmark,)
