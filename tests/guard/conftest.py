"""The guard tests drive the gateway's pages and red-team runs through the echo model server
the gateway tests use."""

from tests.gateway.conftest import upstream  # noqa: F401 (a fixture)
