"""The red-team job: executes one run (see :func:`.service.start`) with progress."""

from __future__ import annotations

from typing import Any

from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core.i18n import N_
from aiplus.core.identity import Role
from aiplus.guard.redteam.service import JOB_NAME, execute


def run_job(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    ctx.progress(2, N_("Preparing probes"))
    summary = execute(ctx.db, ctx.settings, int(params["run_id"]), ctx.progress)
    return {"run_id": params["run_id"], **summary}


redteam_job = JobKind(
    name=JOB_NAME, function=run_job, title_en="Run a red-team probe set",
    title_zh="執行紅隊測試", roles=(Role.OFFICER, Role.ADMIN),
)
