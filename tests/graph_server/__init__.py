"""A Microsoft Graph test server over HTTPS on 127.0.0.1 (documented v1.0 response shapes)."""

from tests.graph_server.server import GraphState, GraphTestServer

__all__ = ["GraphState", "GraphTestServer"]
