"""Whether the server can listen where it is told to, asked before it starts: a port out of
range, a host that is no address of this machine, or a port in use is one line, not a
traceback from the middle of the server's start."""

from __future__ import annotations

import socket


def can_listen(host: str, port: int) -> str | None:
    """What stops a server from listening on ``host:port``; None when nothing does."""
    if not 1 <= port <= 65535:
        return f"port {port} is not a port (1 to 65535)"
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return f"cannot listen on {host!r}: {error.strerror}"
    family, kind, protocol, _, address = found[0]
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            return f"cannot listen on {host}:{port}: {error.strerror}"
    return None
