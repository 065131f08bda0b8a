"""The copilot's job: delete documents past their retention date."""

from __future__ import annotations

from typing import Any

from aiplus.apps.copilot.library import expire
from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core.i18n import N_
from aiplus.core.identity import Role


def run_retention(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """The retention job: run it daily (``aiplus copilot expire`` or the jobs page)."""
    ctx.progress(0, N_("Deleting expired documents"))
    result = expire(ctx.db, ctx.files)
    ctx.progress(100, N_("Done"))
    return result


retention_job = JobKind("copilot.retention", run_retention, "Delete expired copilot documents",
                        "刪除已到期的副駕文件", roles=(Role.ADMIN,))
