"""Webhook targets off the public internet are refused, whether the URL names the address or
a host that resolves to it, in every way an IPv6 address can stand for an IPv4 one; public
addresses, in whichever of those ways, are accepted. Unless private targets are allowed."""

from __future__ import annotations

import socket
from collections.abc import Callable
from ipaddress import ip_address
from types import SimpleNamespace
from typing import Any

import pytest

from stockkeeper.core.settings import Settings
from stockkeeper.webhooks.service import targets
from stockkeeper.webhooks.service.targets import Refused, check, not_public
from tests.support import Api, problem

HOOKS = "/api/v1/webhooks"

NOT_PUBLIC = [
    ("::127.0.0.1", "an IPv4-compatible address (deprecated)"),
    ("::8.8.8.8", "an IPv4-compatible address (deprecated)"),
    ("::ffff:127.0.0.1", "an IPv4-mapped address"),
    ("::ffff:8.8.8.8", "an IPv4-mapped address"),
    ("64:ff9b::7f00:1", "a NAT64 address of 127.0.0.1, a loopback address"),
    ("64:ff9b::a9fe:a9fe", "a NAT64 address of 169.254.169.254, a link-local address"),
    ("64:ff9b:1::808:808", "a NAT64 local-use address"),
    ("2002:7f00:1::", "a 6to4 address"),
    ("2002:808:808::1", "a 6to4 address"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a Teredo address"),
    ("fec0::1", "a site-local address"),
    ("224.0.0.1", "a multicast address"),
    ("239.255.255.250", "a multicast address"),
    ("ff02::1", "a multicast address"),
    ("ff0e::1", "a multicast address"),
    ("240.0.0.1", "a reserved address"),
    ("0.0.0.0", "the unspecified address"),
    ("::", "the unspecified address"),
    ("127.0.0.1", "a loopback address"),
    ("::1", "a loopback address"),
    ("169.254.169.254", "a link-local address"),
    ("fe80::1", "a link-local address"),
    ("10.1.2.3", "a private address"),
    ("172.16.0.1", "a private address"),
    ("192.168.0.1", "a private address"),
    ("fd12:3456::1", "a private address"),
    ("100.64.0.1", "not globally reachable"),
]
PUBLIC = [
    "8.8.8.8",
    "2606:4700:4700::1111",
    "64:ff9b::808:808",  # what DNS64 answers for an IPv4-only host on an IPv6-only network
]


def _url(address: str) -> str:
    return f"http://[{address}]/hooks" if ":" in address else f"http://{address}/hooks"


def _dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> Callable[[], list[str]]:
    """Resolves the names in ``answers`` (and nothing else); returns the names asked."""
    asked: list[str] = []

    def getaddrinfo(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        asked.append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(None, None, 6, "", (address, port)) for address in answers[host]]

    fake = SimpleNamespace(
        getaddrinfo=getaddrinfo, gaierror=socket.gaierror, IPPROTO_TCP=socket.IPPROTO_TCP
    )
    monkeypatch.setattr(targets, "socket", fake)
    return lambda: asked


@pytest.mark.parametrize(("address", "why"), NOT_PUBLIC)
def test_each_kind_of_address_off_the_public_internet_is_named(
    monkeypatch: pytest.MonkeyPatch, address: str, why: str
) -> None:
    assert not_public(ip_address(address)) == why
    asked = _dns(monkeypatch, {})
    with pytest.raises(Refused) as refused:
        check(_url(address), allow_private=False)
    assert str(refused.value) == f"its host {address} is not a public address: {why}"
    assert asked() == []  # an address in the URL is judged as written, not looked up
    check(_url(address), allow_private=True)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_accepted_in_each_form(
    monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    assert not_public(ip_address(address)) is None
    _dns(monkeypatch, {})
    check(_url(address), allow_private=False)


def test_a_host_is_refused_if_any_address_it_resolves_to_is_not_public(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _dns(
        monkeypatch,
        {
            "hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
            "sneaky.example.com": ["93.184.215.14", "64:ff9b::7f00:1"],
            "teredo.example.com": ["2001:0:4136:e378:8000:63bf:3fff:fdd2"],
        },
    )
    check("https://hooks.example.com/in", allow_private=False)
    with pytest.raises(Refused) as sneaky:
        check("https://sneaky.example.com/in", allow_private=False)
    assert str(sneaky.value) == (
        "its host 'sneaky.example.com' resolves to 64:ff9b::7f00:1, which is not a public "
        "address: a NAT64 address of 127.0.0.1, a loopback address"
    )
    with pytest.raises(Refused, match="a Teredo address"):
        check("https://teredo.example.com/in", allow_private=False)
    with pytest.raises(Refused, match="does not resolve"):
        check("https://nowhere.example.com/in", allow_private=False)
    assert asked() == [
        "hooks.example.com",
        "sneaky.example.com",
        "teredo.example.com",
        "nowhere.example.com",
    ]


@pytest.mark.parametrize(
    "address", ["::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "fec0::1", "224.0.0.1"]
)
def test_the_api_refuses_them_naming_the_field_and_writes_nothing(
    api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    monkeypatch.setattr(settings, "webhook_allow_private", False)
    _dns(monkeypatch, {"internal.example.com": [address]})
    for url in (_url(address), "https://internal.example.com/hooks"):
        body = {"url": url, "events": ["inventory.adjustment"]}
        refused = problem(api.post(HOOKS, body), 422, "webhook_url_refused")
        assert [e["field"] for e in refused["errors"]] == ["url"], refused
        assert "not a public address" in refused["detail"], refused
    assert api.data(api.get(HOOKS)) == []
    monkeypatch.setattr(settings, "webhook_allow_private", True)
    allowed = api.data(api.post(HOOKS, {"url": _url(address), "events": ["item.created"]}), 201)
    assert [hook["id"] for hook in api.data(api.get(HOOKS))] == [allowed["id"]]
