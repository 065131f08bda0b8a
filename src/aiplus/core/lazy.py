"""Lazy package exports (PEP 562): a package names its public API without importing it.

A package whose ``__init__`` imports its services makes every sibling module, its command group
included, pay for the whole pillar. With :func:`lazy_exports` the package still offers
``from package import name``, but each name's module is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, origins: Mapping[str, str]) -> tuple[Callable[[str], Any], list[str]]:
    """``(__getattr__, __all__)`` for ``package``: ``origins`` maps each exported name to the
    submodule (relative to the package) that defines it."""

    def __getattr__(name: str) -> Any:
        if name not in origins:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{origins[name]}"), name)

    return __getattr__, sorted(origins)
