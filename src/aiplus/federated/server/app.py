"""The Flower ServerApp the coordinator runs, in simulation and behind a real SuperLink.

Strategy stack, innermost first: FedAvg or FedProx; :class:`Screened` (norm screening and the
round journal); Flower's client-side fixed-clipping DP wrapper when a budget is set. The
round loop is Flower's default workflow, with Flower's SecAgg+ workflow for the fit stage when
secure aggregation is on (the coordinator then only ever sees the masked sum).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np
from flwr.app import Context
from flwr.common import (
    FitRes,
    Parameters,
    Scalar,
    ndarrays_to_parameters,
    parameters_to_ndarrays,
)
from flwr.compat.common import recorddict_compat as compat
from flwr.server import ServerConfig
from flwr.server.client_proxy import ClientProxy
from flwr.server.compat import LegacyContext
from flwr.server.strategy import (
    DifferentialPrivacyClientSideFixedClipping,
    FedAvg,
    FedProx,
    FedXgbBagging,
    Strategy,
)
from flwr.server.workflow import DefaultWorkflow, SecAggPlusWorkflow
from flwr.server.workflow.constant import MAIN_PARAMS_RECORD
from flwr.serverapp import Grid, ServerApp

from aiplus.federated import boosting, networks
from aiplus.federated.plan import Plan
from aiplus.federated.server.screening import RoundEntry, Screened

OnRound = Callable[[RoundEntry], None]

WEIGHTS_FILE = "federated.npz"
TREES_FILE = "federated-trees.json"
JOURNAL_FILE = "rounds.json"


class WeightedXgbBagging(FedXgbBagging):
    """Flower's XGBoost bagging with each bank's tree scaled by its share of the round's rows
    (see :mod:`aiplus.federated.boosting` for why a plain sum overshoots)."""

    def aggregate_fit(self, server_round: int, results: list[tuple[ClientProxy, FitRes]],
                      failures: list[Any]) -> tuple[Parameters | None, dict[str, Scalar]]:
        rows = sum(res.num_examples for _, res in results)
        weighted = [(proxy, replace(res, parameters=Parameters(
            tensor_type=res.parameters.tensor_type,
            tensors=[boosting.scaled(t, res.num_examples / rows)
                     for t in res.parameters.tensors])))
            for proxy, res in results]
        return super().aggregate_fit(server_round, weighted, failures)


def _fit_metrics(metrics: list[tuple[int, dict]]) -> dict[str, float]:
    rows = sum(n for n, _ in metrics)
    return {"loss": sum(n * float(m.get("loss", 0.0)) for n, m in metrics) / max(rows, 1)}


def build_strategy(plan: Plan, on_round: OnRound | None = None) -> tuple[Strategy, Screened]:
    """The strategy stack for a plan, and its screening layer (which keeps the journal)."""
    common: dict[str, Any] = {
        "fraction_fit": 1.0, "fraction_evaluate": 0.0, "min_fit_clients": plan.participants,
        "min_evaluate_clients": 0, "min_available_clients": plan.participants,
        "accept_failures": True,
        "on_fit_config_fn": lambda rnd: {**plan.to_config(), "server-round": rnd},
        "fit_metrics_aggregation_fn": _fit_metrics}
    base: Strategy
    if plan.model == "xgb":
        base = WeightedXgbBagging(initial_parameters=Parameters(tensor_type="", tensors=[]),
                             **common)
    else:
        initial = ndarrays_to_parameters(
            networks.get_weights(networks.build(plan.model, plan.n_features, plan.seed)))
        base = (FedProx(proximal_mu=plan.proximal_mu, initial_parameters=initial, **common)
                if plan.strategy == "fedprox" else FedAvg(initial_parameters=initial, **common))
    screened = Screened(base, plan.screen_factor, on_round)
    if not plan.dp:
        return screened, screened
    return DifferentialPrivacyClientSideFixedClipping(
        screened, noise_multiplier=plan.dp_noise_multiplier, clipping_norm=plan.dp_clip,
        num_sampled_clients=plan.participants), screened


def serve(grid: Grid, context: Context, plan: Plan, on_round: OnRound | None = None) -> None:
    """Run all rounds, then write the final weights and the round journal to ``out_dir``."""
    strategy, screened = build_strategy(plan, on_round)
    legacy = LegacyContext(context, config=ServerConfig(num_rounds=plan.rounds),
                           strategy=strategy)
    fit_workflow = (SecAggPlusWorkflow(num_shares=plan.participants,
                                       reconstruction_threshold=max(2, plan.participants - 1))
                    if plan.secagg else None)
    DefaultWorkflow(fit_workflow=fit_workflow)(grid, legacy)
    final = compat.arrayrecord_to_parameters(legacy.state.array_records[MAIN_PARAMS_RECORD],
                                             keep_input=True)
    out = Path(plan.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if plan.model == "xgb":
        (out / TREES_FILE).write_bytes(final.tensors[0] if final.tensors else b"")
    else:
        np.savez(out / WEIGHTS_FILE, *parameters_to_ndarrays(final))
    (out / JOURNAL_FILE).write_text(json.dumps([asdict(e) for e in screened.journal], indent=1))


def server_app_for(plan: Plan, on_round: OnRound | None = None) -> ServerApp:
    """A ServerApp bound to a plan given in Python (the simulation path, where the round
    callback can report progress in the same process)."""
    bound = ServerApp()

    @bound.main()
    def _main(grid: Grid, context: Context) -> None:
        serve(grid, context, plan, on_round)

    return bound


app = ServerApp()
"""The deployment entry point: the plan arrives as ``flwr run --run-config``."""


@app.main()
def main(grid: Grid, context: Context) -> None:
    serve(grid, context, Plan.from_config(dict(context.run_config)))
