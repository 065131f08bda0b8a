"""Validate DCAT-AP graphs with pyshacl against the shapes shipped in ``shapes/``.

Nothing is fetched: the shapes have no ``owl:imports`` and imports are not followed anyway.
Violations (DCAT-AP mandatory properties, ranges) make a graph non-conforming; warnings
(recommended properties) are reported in the text but do not.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from rdflib import Graph

SHAPES_FILE = "dcat-ap-shapes.ttl"


def shapes_text() -> str:
    return (resources.files("aiplus.data.dcat") / "shapes" / SHAPES_FILE).read_text("utf-8")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The shipped SHACL shapes, parsed once."""
    graph = Graph(bind_namespaces="core")
    graph.parse(data=shapes_text(), format="turtle")
    return graph


def validate(graph: Graph, *, inference: str = "none") -> tuple[bool, str]:
    """``(conforms, report text)``; ``inference`` is ``"none"`` or ``"rdfs"``."""
    if inference not in ("none", "rdfs"):
        raise ValueError("inference must be 'none' or 'rdfs'")
    from pyshacl import validate as shacl_validate  # heavy import, only when validating

    conforms, _results, text = shacl_validate(
        graph,
        shacl_graph=shapes_graph(),
        inference=inference,
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
        advanced=False,
        do_owl_imports=False,
        inplace=False,
    )
    return bool(conforms), str(text)
