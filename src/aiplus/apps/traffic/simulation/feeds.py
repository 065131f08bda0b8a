"""Write simulated series in the real feeds' schemas, so they travel the same ingestion path."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pandas as pd

from aiplus.apps.traffic.simulation.network import ROUTES

NAMESPACE = "http://data.one.gov.hk/td"
FREE_FLOW_RATIO = (1.3, 2.0)
"""Journey time over free-flow time below which the colour is green (3), then amber (2)."""


def colour(minutes: float, free_flow: float) -> int:
    ratio = minutes / free_flow
    return 3 if ratio < FREE_FLOW_RATIO[0] else 2 if ratio < FREE_FLOW_RATIO[1] else 1


def jti_xml(journeys: pd.DataFrame) -> bytes:
    """Journey Time Indicator records (minutes) for every route column and time row."""
    names = {route.key: route for route in ROUTES}
    lines = [f'<?xml version="1.0" encoding="UTF-8"?><jtis_journey_list xmlns="{NAMESPACE}">']
    free = journeys.min()
    for when, row in journeys.iterrows():
        for key, minutes in row.items():
            if pd.isna(minutes):
                continue
            origin, destination = key, names[key].name_en if key in names else key
            lines.append(
                "<jtis_journey_time>"
                f"<LOCATION_ID>{escape(origin)}</LOCATION_ID>"
                f"<DESTINATION_ID>{escape(key)}D</DESTINATION_ID>"
                f"<CAPTURE_DATE>{when:%Y-%m-%dT%H:%M:%S}</CAPTURE_DATE>"
                "<JOURNEY_TYPE>1</JOURNEY_TYPE>"
                f"<JOURNEY_DATA>{minutes:.0f}</JOURNEY_DATA>"
                f"<COLOUR_ID>{colour(minutes, free[key])}</COLOUR_ID>"
                f"<JOURNEY_DESC>{escape(destination)}</JOURNEY_DESC>"
                "</jtis_journey_time>")
    lines.append("</jtis_journey_list>")
    return "".join(lines).encode()


def detector_xml(loops: pd.DataFrame, period_s: int) -> bytes:
    """Raw detector records (speed km/h, volume, occupancy per lane) for each period."""
    lines = ["<?xml version='1.0' encoding='UTF-8'?><raw_speed_volume_list>"]
    day = loops["time"].min()
    lines.append(f"<date>{day:%Y-%m-%d}</date><periods>")
    for end, period in loops.groupby("time"):
        start = end - pd.Timedelta(seconds=period_s)
        lines.append(f"<period><period_from>{start:%H:%M:%S}</period_from>"
                     f"<period_to>{end:%H:%M:%S}</period_to><detectors>")
        for detector, lanes in period.groupby("detector"):
            lines.append(f"<detector><detector_id>{escape(str(detector))}</detector_id><lanes>")
            for lane in lanes.itertuples():
                speed = -1 if pd.isna(lane.speed) else round(lane.speed)
                lines.append(f"<lane><lane_id>Lane {lane.lane}</lane_id><speed>{speed}</speed>"
                             f"<occupancy>{lane.occupancy:.0f}</occupancy>"
                             f"<volume>{lane.volume}</volume><valid>Y</valid></lane>")
            lines.append("</lanes></detector>")
        lines.append("</detectors></period>")
    lines.append("</periods></raw_speed_volume_list>")
    return "".join(lines).encode()
