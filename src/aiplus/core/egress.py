"""Requests the server sends to URLs that people type in (alert webhooks): public hosts only.

A saved URL could otherwise aim the server at itself or at the network behind it
(server-side request forgery): ``http://127.0.0.1:5432/``, cloud metadata at
``169.254.169.254``, or the same hosts spelled ``http://2130706433/``, ``http://0x7f.1/``,
``http://localhost./`` or ``http://[::ffff:127.0.0.1]/``. Rather than parse every spelling
ourselves, the host is resolved by ``getaddrinfo``, the resolver a connection would use (it
reads every IPv4 spelling the C library accepts), every address it gives must be public, and
the request then goes to a checked address itself, so a DNS answer that changes between the
check and the connection (rebinding) cannot redirect it. Hosts an administrator names are
trusted as they are.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Collection
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address
from typing import Any

import httpx

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.settings import normal_host

Address = IPv4Address | IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix that embeds IPv4
# Special-purpose blocks IANA marks not globally reachable that Python 3.11's tables miss:
# IETF protocol assignments, the retired 6to4 relay anycast and local-use NAT64.
NOT_GLOBAL = tuple(ipaddress.ip_network(block)
                   for block in ("192.0.0.0/24", "192.88.99.0/24", "64:ff9b:1::/48"))
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_public(address: Address) -> bool:
    """True for a globally routable unicast address none of whose embedded IPv4 addresses
    (IPv4-mapped, 6to4, Teredo, NAT64) is private, loopback, link-local and so on."""
    if (address.is_private or address.is_loopback or address.is_link_local
            or address.is_unspecified or address.is_multicast or address.is_reserved
            or not address.is_global or any(address in block for block in NOT_GLOBAL)):
        return False
    return all(is_public(inner) for inner in _embedded(address))


def _embedded(address: Address) -> list[IPv4Address]:
    if isinstance(address, IPv4Address):
        return []
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in NAT64:
        found.append(IPv4Address(int(address) & 0xFFFF_FFFF))
    return [inner for inner in found if inner is not None]


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` has now, in the order a connection would try them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # A link-local IPv6 answer carries its zone ("fe80::1%eth0"), which ip_address reads.
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Destination:
    """Where one request to a checked URL goes: ``urls`` name the checked addresses (in the
    order to try them) while the headers and the TLS server name keep the host name the
    receiver and its certificate know."""

    urls: tuple[httpx.URL, ...]
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)

    def post(self, client: httpx.Client, **kwargs: Any) -> httpx.Response:
        """POST to the first address that accepts a connection; redirects are not followed,
        since their target was never checked."""
        for url in self.urls[:-1]:
            try:
                return self._post(client, url, **kwargs)
            except httpx.ConnectError:
                continue
        return self._post(client, self.urls[-1], **kwargs)

    def _post(self, client: httpx.Client, url: httpx.URL, **kwargs: Any) -> httpx.Response:
        return client.post(url, headers=self.headers, extensions=self.extensions,
                           follow_redirects=False, **kwargs)


def check(target: str, allowed_hosts: Collection[str] = ()) -> Destination:
    """The destination of an http(s) URL whose host is public, or listed in
    ``allowed_hosts`` (as :func:`~aiplus.core.settings.normal_host` writes them); refuses
    anything else with a :class:`ValidationFailed` that says why."""
    malformed = ValidationFailed(N_("A webhook must be an http or https URL with a host name."))
    try:
        url = httpx.URL(target)
        port = DEFAULT_PORTS[url.scheme] if url.port is None else url.port
    except (httpx.InvalidURL, KeyError):
        raise malformed from None
    if not url.raw_host or not 0 < port < 65536:
        raise malformed
    host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS and TLS see it
    if normal_host(host) in allowed_hosts:
        return Destination((url,))
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError, ValueError):
        addresses = []
    if not addresses:
        raise ValidationFailed(N_("The host {host} could not be found."), host=host)
    internal = [address for address in addresses if not is_public(address)]
    if internal:
        raise ValidationFailed(
            N_("The host {host} leads to {address}, a private, local or reserved address. "
               "Webhooks may only reach public addresses, unless an administrator allows the "
               "host in AIPLUS_WEBHOOK_ALLOWED_HOSTS."), host=host, address=str(internal[0]))
    # No connection reuse: the pool keys connections by address, and a kept-alive one made for
    # another host name on the same address would skip this one's certificate check.
    headers = {"Host": url.netloc.decode("ascii"), "Connection": "close"}
    extensions = {"sni_hostname": host} if url.scheme == "https" else {}
    urls = tuple(url.copy_with(host=str(address)) for address in addresses)
    return Destination(urls, headers, extensions)
