"""Lazy package exports (PEP 562): a package names its public API without importing it.

A package whose ``__init__`` imports its services makes every sibling module, its command group
included, pay for the whole pillar. With :func:`lazy_exports` the package still offers
``from package import name``, but each name's module is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import sys
from importlib import import_module
from typing import Any


def lazy_exports(package: str, origins: Mapping[str, str]) -> tuple[Callable[[str], Any], list[str]]:
    """``(__getattr__, __all__)`` for ``package``: ``origins`` maps each exported name to the
    submodule (relative to the package) that defines it. A name, once loaded, is kept on the
    package, so later lookups (some sit on request paths) never reach ``__getattr__`` again."""

    def __getattr__(name: str) -> Any:
        if name not in origins:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{origins[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__, sorted(origins)
