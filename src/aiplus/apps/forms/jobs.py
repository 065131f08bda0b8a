"""The forms service's job: delete page images and read values past their retention date."""

from __future__ import annotations

from aiplus.apps.forms.service import purge_expired
from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core.i18n import N_
from aiplus.core.identity import Role


def run_retention(ctx: JobContext, params: dict[str, object]) -> dict[str, int]:
    """Delete page images and read values past their retention date (run daily)."""
    ctx.progress(0, N_("Deleting expired form images"))
    result = purge_expired(ctx.db)
    ctx.progress(100, N_("Done"))
    return result


retention_job = JobKind("forms.retention", run_retention, "Delete expired form images",
                        "刪除已到期的表格圖像", roles=(Role.ADMIN,))
