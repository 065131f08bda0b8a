"""The traffic demo's week ends now (issue 27: every route read "(stale)" right after the demo
load, because the shipped simulated fortnight ended weeks ago)."""

import pandas as pd
import pytest

from aiplus.apps.traffic.demo import DEMO_DAYS, ending_at

FORTNIGHT = pd.date_range("2026-09-28 00:02", "2026-10-12 00:00", freq="2min")


@pytest.mark.parametrize("now", ["2026-12-07 18:10", "2027-03-01 00:00", "2026-10-19 23:58",
                                 "2031-06-15 07:32"])
def test_the_window_ends_at_now_and_keeps_weekday_and_hour(now: str) -> None:
    minutes = pd.DataFrame({"route:min": range(len(FORTNIGHT))}, index=FORTNIGHT)
    at = pd.Timestamp(now)
    window = ending_at(minutes, at)
    assert at - window.index[-1] < pd.Timedelta(minutes=2)
    assert window.index[-1] - window.index[0] >= pd.Timedelta(days=DEMO_DAYS) - pd.Timedelta(minutes=4)
    # each reading moved by whole weeks: same weekday and time of day as in the source
    source = FORTNIGHT[window["route:min"].to_numpy()]
    shift = window.index - source
    assert (shift % pd.Timedelta(days=7) == pd.Timedelta(0)).all() and shift.nunique() == 1
