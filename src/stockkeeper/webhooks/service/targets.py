"""Where a webhook may be sent: http(s) URLs whose host resolves only to public addresses, so
that a subscription cannot make the server call into its own network (loopback, private,
link-local, ...), unless ``STOCKKEEPER_WEBHOOK_ALLOW_PRIVATE`` is set. Checked when a
subscription is registered and again, after a fresh DNS lookup, before every attempt."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class Refused(ValueError):
    """The URL may not be a webhook target; the message says why."""


def check(url: str, *, allow_private: bool) -> None:
    """Raises ``Refused`` unless ``url`` is an http(s) URL and (unless ``allow_private``)
    its host resolves, only to globally reachable addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("must be an http or https URL with a host")
    if parts.username or parts.password:
        raise Refused("must not carry credentials; the signature authenticates the sender")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Refused(f"its port is not a number ({error})") from error
    if allow_private:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"its host {parts.hostname!r} does not resolve ({error})") from error
    for *_, address in found:
        ip = ipaddress.ip_address(str(address[0]).split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global:
            raise Refused(
                f"its host {parts.hostname!r} resolves to {ip}, which is not a public address"
            )
