"""The responsible-AI app's job: drift checks of deployed models (see :mod:`.monitoring`)."""

from __future__ import annotations

from typing import Any

from aiplus.apps.responsible.monitoring import due_monitors, run_check
from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core.i18n import N_
from aiplus.core.identity import Role


def drift_checks(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    chosen = [int(params["monitor"])] if params.get("monitor") else due_monitors(ctx.db)
    results = []
    for position, monitor_id in enumerate(chosen, start=1):
        results.append({"monitor": monitor_id, **run_check(ctx.db, ctx.files, monitor_id)})
        ctx.progress(100 * position / len(chosen), N_("Checking drift"))
    return {"checked": len(results), "drifted": sum(r["drifted"] for r in results),
            "results": [{k: r[k] for k in ("monitor", "id", "drifted", "share_drifted")}
                        for r in results]}


drift_job = JobKind(
    name="responsible-ai.drift-checks",
    function=drift_checks,
    title_en="Check deployed models for data drift",
    title_zh="檢查已部署模型的數據漂移",
    roles=(Role.OFFICER, Role.DATA_STEWARD, Role.REVIEWER),
)
