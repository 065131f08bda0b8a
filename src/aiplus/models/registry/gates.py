"""Deployment gates: the checks a model version must pass before it may be deployed.

The registry sits below the pillars that judge models (the ethics pillar's impact assessment),
so it cannot ask them itself; each such pillar registers a gate here when it is loaded, and
:func:`check_deployment` runs every registered gate.

With no gate registered, deployment is refused (fail closed): a process that has not loaded any
pillar able to approve models, such as a script importing only the registry, must not be able
to deploy one unchecked.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from aiplus.core.errors import Conflict
from aiplus.core.i18n import N_
from aiplus.models.registry.tables import ModelVersion

DeploymentGate = Callable[[Session, ModelVersion], None]
"""Returns when ``row`` may be deployed; raises an :class:`~aiplus.core.errors.AiplusError`
(usually :class:`~aiplus.core.errors.Conflict`) that says why not otherwise."""

_GATES: dict[str, DeploymentGate] = {}


def register_deployment_gate(name: str, gate: DeploymentGate) -> None:
    """Add ``gate`` under ``name``. Registering a name again replaces its gate, so a module
    that registers when imported may be imported (or reloaded) any number of times."""
    _GATES[name] = gate


def check_deployment(session: Session, row: ModelVersion) -> None:
    """Raise unless every registered gate lets ``row`` be deployed, and at least one is
    registered."""
    if not _GATES:
        raise Conflict(N_("{name} cannot be deployed: no deployment check is loaded."),
                       name=row.ref)
    for gate in _GATES.values():
        gate(session, row)
