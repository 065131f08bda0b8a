"""Ingestion of the Transport Department and Observatory feeds, and the benchmark format."""
