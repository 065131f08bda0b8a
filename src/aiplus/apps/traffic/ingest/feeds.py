"""Parsers for the public traffic and weather feeds, written from their data specifications.

Each parser turns one downloaded file into clean observations ``(series, time, value)`` and
a list of refused records with the reason, never raising on a bad record: one broken entry
in a snapshot of hundreds must not cost the rest. A file that is not XML/JSON at all is
refused as a whole with a clear error.

- Journey Time Indicators v2 (XML, every 2 min): location id, destination id, capture date,
  journey type (1 = minutes, 2 = speed km/h), journey data, colour id 1-3, description.
- Traffic speed map (XML): link id, region, road type, saturation level, speed km/h,
  capture date.
- Raw detector data (XML, 30-second periods per lane): speed, volume, occupancy; speed holds
  a placeholder when volume is 0, so it is cleaned to "no value" rather than kept.
- Observatory current weather (rhrread JSON: rainfall per district, temperature per station)
  and the 9-day forecast (fnd JSON: probability of significant rain per day).
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

PSR_LEVELS = {"low": 0.1, "medium low": 0.3, "medium": 0.5, "medium high": 0.7, "high": 0.9}


@dataclass
class Parsed:
    source: str
    rows: list[tuple[str, datetime, float]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    placeholders: int = 0

    def refuse(self, reason: str, element: ET.Element | dict | str) -> None:
        text = (ET.tostring(element, encoding="unicode") if isinstance(element, ET.Element)
                else json.dumps(element, ensure_ascii=False) if isinstance(element, dict)
                else str(element))
        self.refused.append((reason, text[:2000]))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _xml(data: bytes) -> ET.Element:
    if b"<!DOCTYPE" in data[:2000] or b"<!ENTITY" in data[:4000]:
        raise ValidationFailed(N_("The feed file declares a DTD or entities; refused."))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as problem:
        raise ValidationFailed(N_("The feed file is not well-formed XML: {problem}"),
                               problem=str(problem)) from None
    for element in root.iter():
        element.tag = _local(element.tag)
    return root


def _fields(element: ET.Element) -> dict[str, str]:
    return {child.tag: (child.text or "").strip() for child in element}


def _time(text: str) -> datetime | None:
    stamp = pd.to_datetime(text, errors="coerce")
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("Asia/Hong_Kong").tz_localize(None)
    return stamp.to_pydatetime()


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def journey_times(data: bytes) -> Parsed:
    """Journey Time Indicators: one series per (location, destination), minutes or km/h."""
    parsed = Parsed("jti")
    for record in _records(_xml(data), "location_id"):
        row = _fields(record)
        when, value = _time(row.get("capture_date", "")), _number(row.get("journey_data"))
        kind = row.get("journey_type", "1")
        if not row.get("location_id") or not row.get("destination_id") or when is None:
            parsed.refuse("missing location, destination or capture date", record)
        elif value is None:
            parsed.refuse("journey data is not a number", record)
        elif value <= 0 or value == -1:
            parsed.placeholders += 1
        else:
            unit = "min" if kind == "1" else "kmh"
            parsed.rows.append((f"{row['location_id']}-{row['destination_id']}:{unit}",
                                when, value))
    return parsed


def speed_map(data: bytes) -> Parsed:
    """Traffic speed map: one series per road link, km/h."""
    parsed = Parsed("speedmap")
    for record in _records(_xml(data), "link_id"):
        row = _fields(record)
        when, value = _time(row.get("capture_date", "")), _number(row.get("traffic_speed"))
        if not row.get("link_id") or when is None or value is None:
            parsed.refuse("missing link id, capture date or speed", record)
        elif value <= 0 or value > 200:
            parsed.placeholders += 1
        else:
            parsed.rows.append((row["link_id"], when, value))
    return parsed


def detectors(data: bytes) -> Parsed:
    """Raw detector data: speed, volume and occupancy series per detector lane.

    Snapshots overlap (the same 30-second period appears in consecutive files); duplicates
    collapse later on the (series, time) key. Speed with zero volume is a placeholder.
    """
    parsed = Parsed("detector")
    root = _xml(data)
    day = (root.findtext("date") or "").strip()
    for period in root.iter("period"):
        end = _time(f"{day} {(period.findtext('period_to') or '').strip()}")
        for detector in period.iter("detector"):
            name = (detector.findtext("detector_id") or "").strip()
            for lane in detector.iter("lane"):
                row = _fields(lane)
                lane_id = row.get("lane_id", "").replace(" ", "_").lower()
                volume = _number(row.get("volume"))
                if end is None or not name or not lane_id or volume is None or volume < 0:
                    parsed.refuse("missing period, detector, lane or volume", lane)
                    continue
                if row.get("valid", "Y").upper() == "N":
                    parsed.refuse("record flagged invalid by the detector", lane)
                    continue
                series = f"{name}:{lane_id}"
                parsed.rows.append((f"{series}:volume", end, volume))
                occupancy = _number(row.get("occupancy"))
                if occupancy is not None and 0 <= occupancy <= 100:
                    parsed.rows.append((f"{series}:occupancy", end, occupancy))
                speed = _number(row.get("speed"))
                if volume == 0 or speed is None or speed < 0:
                    parsed.placeholders += 1
                else:
                    parsed.rows.append((f"{series}:speed", end, speed))
    return parsed


def _records(root: ET.Element, key: str) -> Iterator[ET.Element]:
    """Elements that hold a record (those with a ``key`` child)."""
    for element in root.iter():
        if element.find(key) is not None:
            yield element


def _json(data: bytes) -> dict:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as problem:
        raise ValidationFailed(N_("The weather file is not valid JSON: {problem}"),
                               problem=str(problem)) from None
    if not isinstance(document, dict):
        raise ValidationFailed(N_("The weather file is not a JSON object."))
    return document


def weather_now(data: bytes) -> Parsed:
    """Observatory current weather report: rainfall (mm, per district), temperature (°C)."""
    parsed = Parsed("weather")
    document = _json(data)
    rain = document.get("rainfall") or {}
    when = _time(str(rain.get("endTime") or document.get("updateTime") or ""))
    for item in rain.get("data") or []:
        value = _number(str(item.get("max", "")))
        if when is None or not item.get("place") or value is None:
            parsed.refuse("rainfall entry without place, time or amount", item)
        elif item.get("main") == "TRUE":
            parsed.placeholders += 1  # station under maintenance
        else:
            parsed.rows.append((f"rain:{item['place']}", when, value))
    temperature = document.get("temperature") or {}
    stamp = _time(str(temperature.get("recordTime") or ""))
    for item in temperature.get("data") or []:
        value = _number(str(item.get("value", "")))
        if stamp is None or not item.get("place") or value is None:
            parsed.refuse("temperature entry without place, time or value", item)
        else:
            parsed.rows.append((f"temp:{item['place']}", stamp, value))
    return parsed


def weather_forecast(data: bytes) -> Parsed:
    """Observatory 9-day forecast: probability of significant rain per forecast day."""
    parsed = Parsed("forecast")
    for item in _json(data).get("weatherForecast") or []:
        when = _time(str(item.get("forecastDate", "")))
        level = PSR_LEVELS.get(str(item.get("PSR", "")).strip().lower())
        if when is None or level is None:
            parsed.refuse("forecast day without a date or a known rain probability", item)
        else:
            parsed.rows.append(("psr", when, level))
    return parsed


PARSERS = {"jti": journey_times, "speedmap": speed_map, "detector": detectors,
           "weather": weather_now, "forecast": weather_forecast}
