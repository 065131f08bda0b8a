"""One federated run's settings, carried as Flower run configuration.

Why a flat mapping: the same ServerApp runs in simulation (where the plan is handed over in
Python) and under ``flwr run`` on a SuperLink (where it arrives as ``--run-config``), and
Flower's run configuration holds only scalar values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

WIRE_DIR_ENV = "AIPLUS_FL_WIRE_DIR"
FAULTS = ("nan", "poison", "dropout", "schema")
"""Where each participant's wire tap writes what it sent; unset means no tap."""


@dataclass(frozen=True)
class Plan:
    model: str = "lr"
    strategy: str = "fedavg"
    proximal_mu: float = 0.0
    rounds: int = 5
    participants: int = 3
    n_features: int = 0
    local_epochs: int = 1
    batch_size: int = 64
    learning_rate: float = 0.01
    data_dir: str = ""
    out_dir: str = ""
    secagg: bool = False
    dp_noise_multiplier: float = 0.0
    dp_clip: float = 0.0
    screen_factor: float = 5.0
    """Updates whose norm exceeds this multiple of the round's median norm are rejected."""
    faults: str = ""
    """Drill only: ``"2:nan,3:poison,1:dropout"`` makes those participants misbehave."""
    seed: int = 0

    def to_config(self) -> dict[str, bool | int | float | str]:
        return {name.replace("_", "-"): value for name, value in asdict(self).items()}

    @classmethod
    def from_config(cls, config: dict[str, object]) -> Plan:
        kinds = {f.name: f.type for f in fields(cls)}
        values: dict[str, object] = {}
        for key, value in config.items():
            name = key.replace("-", "_")
            if name in kinds:
                values[name] = value
        return cls(**values)  # type: ignore[arg-type]

    @property
    def dp(self) -> bool:
        return self.dp_clip > 0

    def faults_valid(self) -> bool:
        for item in filter(None, self.faults.split(",")):
            who, _, kind = item.partition(":")
            if not who.strip().isdigit() or int(who) >= self.participants or (
                    kind.strip() not in FAULTS):
                return False
        return True

    def fault_for(self, participant: int) -> str:
        for item in filter(None, self.faults.split(",")):
            who, _, kind = item.partition(":")
            if who.strip() == str(participant):
                return kind.strip()
        return ""
