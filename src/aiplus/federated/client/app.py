"""The Flower ClientApp every participant runs, in simulation and on a real SuperNode.

The participant's rows are read from its own file (``data-path`` in the SuperNode's node
configuration, or the simulation's partition folder) and never leave this process: replies
carry model weights and three numbers (rows used, loss, participant number).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from flwr.app import Context, Message
from flwr.client import Client
from flwr.client.mod import fixedclipping_mod, secaggplus_mod
from flwr.clientapp import ClientApp
from flwr.clientapp.typing import ClientAppCallable
from flwr.common import (
    Code,
    FitIns,
    FitRes,
    Parameters,
    Status,
    ndarrays_to_parameters,
    parameters_to_ndarrays,
)
from flwr.common.secure_aggregation.secaggplus_constants import RECORD_KEY_CONFIGS

from aiplus.federated import boosting, networks
from aiplus.federated.client.wire import wire_tap_mod
from aiplus.federated.data import Shard
from aiplus.federated.plan import Plan

POISON_SCALE = 1000.0


class DroppedOut(RuntimeError):
    """Drill: the participant disconnects in the middle of a round."""


class Participant(Client):
    def __init__(self, participant: int, data_path: str) -> None:
        self.participant = participant
        self.data_path = data_path

    def shard(self, plan: Plan) -> Shard:
        path = self.data_path or str(Path(plan.data_dir) / f"partition-{self.participant}.npz")
        shard = Shard.load(path)
        if plan.fault_for(self.participant) == "schema":  # drill: a bank with a column short
            shard = Shard(shard.x[:, :-1], shard.y, shard.ids, shard.sex)
        if shard.x.shape[1] != plan.n_features:
            raise ValueError(f"participant {self.participant} holds {shard.x.shape[1]} "
                             f"features but the federation agreed on {plan.n_features}")
        return shard

    def fit(self, ins: FitIns) -> FitRes:
        plan = Plan.from_config(ins.config)
        shard = self.shard(plan)
        seed = plan.seed + 1000 * self.participant + int(ins.config.get("server-round", 0))
        if plan.model == "xgb":
            start = ins.parameters.tensors[0] if ins.parameters.tensors else None
            booster = boosting.boost(shard, boosting.TREES_PER_ROUND, start, seed)
            self._drill(plan.fault_for(self.participant), [])
            parameters = Parameters(tensor_type="", tensors=[boosting.new_trees(booster)])
            loss = 0.0
        else:
            model = networks.build(plan.model, plan.n_features)
            networks.set_weights(model, parameters_to_ndarrays(ins.parameters))
            settings = networks.TrainSettings(
                epochs=plan.local_epochs, batch_size=plan.batch_size,
                learning_rate=plan.learning_rate, proximal_mu=plan.proximal_mu, seed=seed)
            loss = networks.train(model, shard, settings)
            parameters = ndarrays_to_parameters(
                self._drill(plan.fault_for(self.participant), networks.get_weights(model)))
        return FitRes(Status(Code.OK, "ok"), parameters, len(shard),
                      {"loss": loss, "participant": self.participant})

    @staticmethod
    def _drill(fault: str, weights: list[np.ndarray]) -> list[np.ndarray]:
        if fault == "dropout":
            raise DroppedOut("participant dropped out mid-round")
        if fault == "nan":
            return [np.full_like(w, np.nan) for w in weights]
        if fault == "poison":
            return [w * POISON_SCALE for w in weights]
        return weights


def client_fn(context: Context):
    participant = int(context.node_config["partition-id"])
    return Participant(participant, str(context.node_config.get("data-path", "")))


def privacy_mods(msg: Message, ctxt: Context, call_next: ClientAppCallable) -> Message:
    """Apply SecAgg+ masking and DP clipping only when the coordinator asked for them.

    Why a dispatcher: Flower's mods are fixed per ClientApp, but whether a run uses secure
    aggregation or differential privacy is the coordinator's choice per run.
    """
    def clip_if_asked(m: Message, c: Context) -> Message:
        fit_config = m.content.config_records.get("fitins.config", {})
        if "clipping_norm" in fit_config:
            return fixedclipping_mod(m, c, call_next)
        return call_next(m, c)

    if RECORD_KEY_CONFIGS in msg.content.config_records:
        return secaggplus_mod(msg, ctxt, clip_if_asked)
    return clip_if_asked(msg, ctxt)


app = ClientApp(client_fn=client_fn, mods=[wire_tap_mod, privacy_mods])
