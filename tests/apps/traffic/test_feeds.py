"""Feed parsers: real-spec shapes, bad records quarantined, placeholders cleaned."""

from __future__ import annotations

import json

import pytest

from aiplus.apps.traffic.ingest import feeds
from aiplus.core.errors import ValidationFailed

pytestmark = pytest.mark.nodb

JTI = b"""<?xml version="1.0" encoding="UTF-8"?>
<jtis_journey_list xmlns="http://data.one.gov.hk/td">
<jtis_journey_time><LOCATION_ID>H1</LOCATION_ID><DESTINATION_ID>CH</DESTINATION_ID>
<CAPTURE_DATE>2026-11-25T08:00:00</CAPTURE_DATE><JOURNEY_TYPE>1</JOURNEY_TYPE>
<JOURNEY_DATA>9</JOURNEY_DATA><COLOUR_ID>3</COLOUR_ID><JOURNEY_DESC>x</JOURNEY_DESC>
</jtis_journey_time>
<jtis_journey_time><LOCATION_ID>H2</LOCATION_ID><DESTINATION_ID>EH</DESTINATION_ID>
<CAPTURE_DATE>2026-11-25T08:00:00</CAPTURE_DATE><JOURNEY_TYPE>2</JOURNEY_TYPE>
<JOURNEY_DATA>45</JOURNEY_DATA><COLOUR_ID>2</COLOUR_ID></jtis_journey_time>
<jtis_journey_time><LOCATION_ID>H3</LOCATION_ID><DESTINATION_ID>CH</DESTINATION_ID>
<CAPTURE_DATE>2026-11-25T08:00:00</CAPTURE_DATE><JOURNEY_TYPE>1</JOURNEY_TYPE>
<JOURNEY_DATA>-1</JOURNEY_DATA></jtis_journey_time>
<jtis_journey_time><LOCATION_ID>H4</LOCATION_ID><DESTINATION_ID>CH</DESTINATION_ID>
<CAPTURE_DATE>yesterday</CAPTURE_DATE><JOURNEY_DATA>7</JOURNEY_DATA></jtis_journey_time>
<jtis_journey_time><LOCATION_ID>H5</LOCATION_ID><DESTINATION_ID>CH</DESTINATION_ID>
<CAPTURE_DATE>2026-11-25T08:00:00</CAPTURE_DATE><JOURNEY_DATA>abc</JOURNEY_DATA>
</jtis_journey_time>
</jtis_journey_list>"""

DETECTORS = b"""<?xml version="1.0"?><raw_speed_volume_list><date>2026-11-25</date><periods>
<period><period_from>08:00:00</period_from><period_to>08:00:30</period_to><detectors>
<detector><detector_id>AID01101</detector_id><direction>East</direction><lanes>
<lane><lane_id>Fast Lane</lane_id><speed>72</speed><occupancy>6</occupancy><volume>3</volume>
<valid>Y</valid></lane>
<lane><lane_id>Slow Lane</lane_id><speed>100</speed><occupancy>0</occupancy><volume>0</volume>
<valid>Y</valid></lane>
<lane><lane_id>Middle Lane</lane_id><speed>50</speed><occupancy>3</occupancy><volume>x</volume>
</lane>
</lanes></detector></detectors></period></periods></raw_speed_volume_list>"""


def test_journey_time_records_become_series_by_unit() -> None:
    parsed = feeds.journey_times(JTI)
    names = {row[0] for row in parsed.rows}
    assert names == {"H1-CH:min", "H2-EH:kmh"}
    assert parsed.placeholders == 1 and len(parsed.refused) == 2
    assert "capture date" in parsed.refused[0][0] and "H4" in parsed.refused[0][1]


def test_detector_speed_with_zero_volume_is_a_placeholder() -> None:
    parsed = feeds.detectors(DETECTORS)
    series = {row[0]: row[2] for row in parsed.rows}
    assert series["AID01101:fast_lane:speed"] == 72
    assert "AID01101:slow_lane:speed" not in series
    assert series["AID01101:slow_lane:volume"] == 0
    assert parsed.placeholders == 1 and len(parsed.refused) == 1
    assert parsed.rows[0][1].isoformat() == "2026-11-25T08:00:30"


def test_speed_map_and_weather_feeds() -> None:
    speed = feeds.speed_map(b"<list><jtis_speedmap><LINK_ID>3001-30010</LINK_ID>"
                            b"<REGION>K</REGION><ROAD_TYPE>URBAN ROAD</ROAD_TYPE>"
                            b"<ROAD_SATURATION_LEVEL>TRAFFIC GOOD</ROAD_SATURATION_LEVEL>"
                            b"<TRAFFIC_SPEED>41</TRAFFIC_SPEED>"
                            b"<CAPTURE_DATE>2026-11-25 08:00:00</CAPTURE_DATE></jtis_speedmap>"
                            b"</list>")
    assert speed.rows[0][0] == "3001-30010" and speed.rows[0][2] == 41
    now = feeds.weather_now(json.dumps({
        "rainfall": {"endTime": "2026-11-25T09:00:00+08:00", "data": [
            {"place": "Wan Chai", "max": 12, "unit": "mm", "main": "FALSE"},
            {"place": "Sai Kung", "max": 0, "main": "TRUE"}, {"max": 3}]},
        "temperature": {"recordTime": "2026-11-25T09:00:00+08:00",
                        "data": [{"place": "Hong Kong Observatory", "value": 21}]}}).encode())
    assert ("rain:Wan Chai", 12.0) in {(row[0], row[2]) for row in now.rows}
    assert now.placeholders == 1 and len(now.refused) == 1
    assert now.rows[0][1].hour == 9  # already Hong Kong time
    forecast = feeds.weather_forecast(json.dumps({"weatherForecast": [
        {"forecastDate": "20261126", "PSR": "High"}, {"forecastDate": "20261127"}]}).encode())
    assert forecast.rows[0][2] == 0.9 and len(forecast.refused) == 1


@pytest.mark.parametrize("data", [b"<open", b"", b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'])
def test_unreadable_xml_is_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(ValidationFailed):
        feeds.journey_times(data)


def test_weather_file_that_is_not_json_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        feeds.weather_now(b"{not json")
