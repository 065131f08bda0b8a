"""The traffic app's job kinds: feed polling (administrators) and forecast refresh."""

from aiplus.apps.traffic.ingest.polling import poll
from aiplus.apps.traffic.service import refresh_job
from aiplus.compute.jobs import JobKind
from aiplus.core.identity import Role

POLL = JobKind(name="traffic.poll", function=poll, title_en="Poll a traffic or weather feed",
               title_zh="讀取交通或天氣數據", roles=(Role.ADMIN,))
FORECAST = JobKind(name="traffic.forecast", function=refresh_job,
                   title_en="Refresh journey-time forecasts", title_zh="更新行車時間預測",
                   roles=(Role.OFFICER, Role.ADMIN))
JOBS = (POLL, FORECAST)
