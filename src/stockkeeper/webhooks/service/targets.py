"""Where a webhook may be sent: http(s) URLs whose host is, or resolves only to, public
addresses, so that a subscription cannot make the server call into its own network, unless
``STOCKKEEPER_WEBHOOK_ALLOW_PRIVATE`` is set. Checked when a subscription is registered and
again, after a fresh DNS lookup, before every attempt.

Not public: unspecified, loopback, link-local, site-local, multicast, private and reserved
addresses, and whatever else the standard library does not call global (shared address
space, documentation ranges, ...). A NAT64 address (``64:ff9b::/96``, which an IPv6-only
network's DNS64 gives for every IPv4-only host) is judged by the IPv4 address it carries.
IPv4-mapped (``::ffff:0:0/96``), IPv4-compatible (``::/96``, deprecated), 6to4
(``2002::/16``, deprecated), NAT64's local-use prefix (``64:ff9b:1::/48``) and Teredo
(``2001::/32``) addresses are never public targets: they only dress up another address."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(ValueError):
    """The URL may not be a webhook target; the message says why."""


def check(url: str, *, allow_private: bool) -> None:
    """Raises ``Refused`` unless ``url`` is an http(s) URL and (unless ``allow_private``)
    its host is, or resolves only to, public addresses."""
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
    literal = _literal(parts.hostname)
    if literal is not None:
        why = not_public(literal)
        if why:
            raise Refused(f"its host {parts.hostname} is not a public address: {why}")
        return
    for ip in _resolved(parts.hostname, port):
        why = not_public(ip)
        if why:
            raise Refused(
                f"its host {parts.hostname!r} resolves to {ip}, "
                f"which is not a public address: {why}"
            )


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None


def _resolved(host: str, port: int) -> list[Address]:
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"its host {host!r} does not resolve ({error})") from error
    return [ipaddress.ip_address(str(address[0]).split("%")[0]) for *_, address in found]


# --- what is public -------------------------------------------------------------------------

_NEVER_PUBLIC: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (ipaddress.IPv6Network("::ffff:0:0/96"), "an IPv4-mapped address"),
    (ipaddress.IPv6Network("2002::/16"), "a 6to4 address"),
    (ipaddress.IPv6Network("64:ff9b:1::/48"), "a NAT64 local-use address"),
    (ipaddress.IPv6Network("2001::/32"), "a Teredo address"),
)
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

# the first that holds names the reason; the last catches what the others leave
_KINDS: tuple[tuple[Callable[[Address], bool], str], ...] = (
    (lambda ip: ip.is_unspecified, "the unspecified address"),
    (lambda ip: ip.is_loopback, "a loopback address"),
    (lambda ip: ip.is_link_local, "a link-local address"),
    (lambda ip: isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local, "a site-local address"),
    (lambda ip: ip.is_multicast, "a multicast address"),
    (lambda ip: ip.is_reserved, "a reserved address"),
    (lambda ip: ip.is_private, "a private address"),
    (lambda ip: not ip.is_global, "not globally reachable"),
)


def not_public(ip: Address) -> str | None:
    """Why ``ip`` is not a public address (``a loopback address``), or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64:
            ipv4 = ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
            why = not_public(ipv4)
            return f"a NAT64 address of {ipv4}, {why}" if why else None
        if ip in _IPV4_COMPATIBLE and not (ip.is_unspecified or ip.is_loopback):
            return "an IPv4-compatible address (deprecated)"
        for network, what in _NEVER_PUBLIC:
            if ip in network:
                return what
    return next((what for holds, what in _KINDS if holds(ip)), None)
