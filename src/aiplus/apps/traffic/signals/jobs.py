"""Running a controller on the shipped corridor as a platform job, with progress."""

from __future__ import annotations

from typing import Any

from aiplus.apps.traffic.signals.scenario import ScenarioError, corridor
from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core.i18n import N_
from aiplus.core.identity import Role

CONTROLLER_NAMES = ("fixed", "actuated", "maxpressure", "adaptive", "learned")
MAX_SECONDS = 3600


def validate(params: dict[str, Any]) -> dict[str, Any]:
    """The run's parameters, checked before anything is queued."""
    controller = params.get("controller")
    if controller not in CONTROLLER_NAMES:
        raise ScenarioError(N_("Unknown controller {name}; choose one of {choices}."),
                            name=str(controller), choices=", ".join(CONTROLLER_NAMES))
    seconds = params.get("seconds", 600)
    if not isinstance(seconds, int) or isinstance(seconds, bool) or \
            not 60 <= seconds <= MAX_SECONDS:
        raise ScenarioError(N_("The simulated period must be between 60 and {limit} seconds."),
                            limit=MAX_SECONDS)
    return {"controller": controller, "seconds": seconds}


def run_controller(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from aiplus.apps.traffic.signals.simulation import run

    checked = validate(params)
    ctx.progress(1, N_("Starting SUMO"))
    result = run(corridor(checked["seconds"]), checked["controller"],
                 progress=lambda done: ctx.progress(1 + 98 * done, N_("Simulating")))
    return result.as_dict()


run_job = JobKind(
    name="traffic.signals.run",
    function=run_controller,
    title_en="Run a traffic-signal controller on the corridor",
    title_zh="在走廊路網上運行交通燈控制器",
    roles=(Role.OFFICER, Role.ADMIN),
)
