"""An EWS server for tests: real sockets on 127.0.0.1, a configurable directory, faults."""

from tests.ews_server.model import DirectoryEntry, ServerState, StoredItem
from tests.ews_server.server import EwsTestServer

__all__ = ["DirectoryEntry", "EwsTestServer", "ServerState", "StoredItem"]
