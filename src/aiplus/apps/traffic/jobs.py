"""The traffic app's jobs: feed polling (administrators) and forecast refresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiplus.apps.traffic.ingest.feeds import PARSERS
from aiplus.apps.traffic.ingest.polling import INBOX, read_location
from aiplus.apps.traffic.ingest.store import ingest
from aiplus.apps.traffic.service import refresh
from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Role


def poll(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Job ``traffic.poll``: params ``source`` (jti, speedmap, detector, weather, forecast)
    and ``location`` (URL or directory)."""
    source, location = str(params.get("source", "")), str(params.get("location", ""))
    if source not in PARSERS:
        raise ValidationFailed(N_("Unknown feed source {source}."), source=source)
    ctx.progress(10, N_("Reading the feed"))
    files = read_location(location, Path(ctx.settings.files_dir) / INBOX)
    ctx.progress(50, N_("Storing observations"))
    run = ingest(ctx.db, source, files, actor=str(params.get("actor", "job")), location=location)
    ctx.progress(100, N_("Done"))
    return run.as_dict()


def refresh_job(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Job ``traffic.forecast``: refresh all routes' forecasts."""
    ctx.progress(5, N_("Fitting forecasting models"))
    result = refresh(ctx.db, actor=str(params.get("actor", "job")))
    ctx.progress(100, N_("Done"))
    return result


POLL = JobKind(name="traffic.poll", function=poll, title_en="Poll a traffic or weather feed",
               title_zh="讀取交通或天氣數據", roles=(Role.ADMIN,))
FORECAST = JobKind(name="traffic.forecast", function=refresh_job,
                   title_en="Refresh journey-time forecasts", title_zh="更新行車時間預測",
                   roles=(Role.OFFICER, Role.ADMIN))
JOBS = (POLL, FORECAST)
