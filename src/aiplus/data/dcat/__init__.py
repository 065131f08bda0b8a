"""DCAT-AP for the open data catalogue: RDF graphs from CKAN package dicts, serialisation
(JSON-LD, Turtle, RDF/XML), SHACL validation with shipped shapes, and the HTTP router."""

from aiplus.data.dcat.graph import catalog_graph, dataset_graph
from aiplus.data.dcat.serialize import FORMATS, render

__all__ = ["FORMATS", "catalog_graph", "dataset_graph", "render"]
