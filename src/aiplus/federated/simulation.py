"""Run a plan with Flower's simulation engine (Ray): N virtual SuperNodes in one machine."""

from __future__ import annotations

import logging
import os

from flwr.simulation import run_simulation

from aiplus.federated.client.app import app as client_app
from aiplus.federated.plan import WIRE_DIR_ENV, Plan
from aiplus.federated.server.app import OnRound, server_app_for


def simulate(plan: Plan, wire_dir: str, on_round: OnRound | None = None) -> None:
    """Blocks until every round is done; results land in ``plan.out_dir``."""
    os.environ[WIRE_DIR_ENV] = wire_dir  # inherited by the Ray workers started below
    logging.getLogger("flwr").setLevel(logging.WARNING)
    try:
        run_simulation(
            server_app=server_app_for(plan, on_round), client_app=client_app,
            num_supernodes=plan.participants,
            backend_config={"client_resources": {"num_cpus": 1},
                            "init_args": {"include_dashboard": False, "log_to_driver": False,
                                          "num_cpus": min(os.cpu_count() or 1,
                                                          plan.participants)}})
    finally:
        os.environ.pop(WIRE_DIR_ENV, None)
