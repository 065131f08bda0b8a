"""``/traffic``: the forecast map (routes coloured by predicted state, as inline SVG) and a
chart of predicted against observed journey times, each with a data table alternative."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from aiplus.apps.traffic.service import overview
from aiplus.apps.traffic.simulation.network import JUNCTIONS, ROUTES
from aiplus.core.i18n import N_
from aiplus.platform.negotiation import translator_of
from aiplus.platform.security import platform_of
from aiplus.platform.web.render import page

router = APIRouter(include_in_schema=False)
WIDTH, MARGIN, CHART_H = 640, 30, 180


def _geometry(key: str) -> dict[str, float] | None:
    """Where a corridor route is drawn: eastbound above the road, westbound below."""
    route = next((r for r in ROUTES if r.key == key.split("-")[0]), None)
    if route is None:
        return None
    ends = [int(part) for part in route.edges[0][1:].split("_")] + [
        int(route.edges[-1].split("_")[1])]
    span = (WIDTH - 2 * MARGIN) / (JUNCTIONS - 1)
    east = ends[0] < ends[-1]
    lane = ROUTES.index(route) % 3
    return {"x1": MARGIN + min(ends) * span, "x2": MARGIN + max(ends) * span,
            "y": (60 - lane * 14) if east else (100 + lane * 14), "east": east}


def _chart(route: dict[str, Any]) -> dict[str, Any]:
    """Polyline points for observed (past) and predicted (future) minutes on one scale."""
    observed = [point["minutes"] for point in route["observed"]]
    predicted = [f["predicted"] for f in route["forecasts"]]
    values = observed + predicted + [f["upper"] for f in route["forecasts"]]
    if not values:
        return {}
    low, high = min(values) * 0.9, max(values) * 1.1
    count = len(observed) + len(predicted)

    def point(index: int, value: float) -> str:
        x = MARGIN + index * (WIDTH - 2 * MARGIN) / max(1, count - 1)
        y = CHART_H - 20 - (value - low) / (high - low or 1) * (CHART_H - 40)
        return f"{x:.1f},{y:.1f}"

    return {"observed": " ".join(point(i, v) for i, v in enumerate(observed)),
            "predicted": " ".join(point(len(observed) + i, v) for i, v in enumerate(predicted)),
            "low": round(low, 1), "high": round(high, 1)}


@router.get("/traffic")
async def map_page(request: Request) -> Response:
    data = await run_in_threadpool(overview, platform_of(request).db)
    for route in data["routes"]:
        route["geometry"] = _geometry(route["route"])
        route["chart"] = _chart(route)
    return page(request, "traffic_map.html",
                {**data, "width": WIDTH, "margin": MARGIN, "chart_height": CHART_H,
                 "junctions": JUNCTIONS},
                title=translator_of(request)(N_("Journey-time forecasts")))
