"""RDF graphs as bytes: JSON-LD, Turtle and RDF/XML.

JSON-LD carries its ``@context`` inline (our prefixes), so neither we nor a client parsing it
with rdflib ever fetches a remote context.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from aiplus.data.dcat.graph import PREFIXES


@dataclass(frozen=True)
class Format:
    extension: str
    rdflib_name: str
    media_type: str


FORMATS: dict[str, Format] = {
    "jsonld": Format("jsonld", "json-ld", "application/ld+json"),
    "ttl": Format("ttl", "turtle", "text/turtle"),
    "xml": Format("xml", "pretty-xml", "application/rdf+xml"),
}

#: rdflib parser names, for reading our own output back.
PARSERS: dict[str, str] = {"jsonld": "json-ld", "ttl": "turtle", "xml": "xml"}

_CONTEXT: dict[str, str] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def media_type(fmt: str) -> str:
    """The media type of ``fmt``; ``KeyError`` for an unknown format."""
    return FORMATS[fmt].media_type


def render(graph: Graph, fmt: str) -> tuple[bytes, str]:
    """``(body, media type)`` for ``fmt`` in :data:`FORMATS`; ``ValueError`` otherwise."""
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ValueError(f"unknown RDF format {fmt!r}; expected one of {sorted(FORMATS)}")
    if fmt == "jsonld":
        body = graph.serialize(
            format=spec.rdflib_name,
            context=_CONTEXT,
            auto_compact=True,
            indent=2,
            ensure_ascii=False,
        )
    else:
        body = graph.serialize(format=spec.rdflib_name)
    return body.encode("utf-8"), spec.media_type


def parse(data: bytes | str, fmt: str, base: str | None = None) -> Graph:
    """Read ``data`` in one of our formats (used by tests and by clients of this module)."""
    graph = Graph(bind_namespaces="core")
    graph.parse(data=data, format=PARSERS[fmt], publicID=base)
    return graph
