"""SSRF protection for every URL Doitong calls or fetches on a user's behalf.

`check_url` allows only http and https, resolves the host, and requires every
address to be public: loopback, private, link-local (cloud metadata), CGNAT,
multicast, unspecified and reserved ranges are refused, including IPv4-mapped
IPv6 forms and decimal or octal spellings (the resolver decodes those to the
address they mean). `safe_session` then connects to the address it checked
(requests-hardened pins the resolved IP, keeps SNI and certificate checks on the
hostname, and never follows redirects), so DNS rebinding cannot switch it.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from requests_hardened import Config, Manager

from providers.http import CONNECT_TIMEOUT, USER_AGENT

DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsafeURL(ValueError):
    """The URL may not be called: wrong scheme, unresolvable, or not a public address."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the seam tests replace)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _public(address: str, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_loopback and ip.is_loopback:
        return True
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, allow_loopback: bool = False, must_resolve: bool = True) -> None:
    """Raise `UnsafeURL` unless ``url`` is http(s) and every address of its host is public.

    With ``must_resolve`` False, a host that does not resolve is accepted (the
    caller will not connect to it, e.g. a sandbox job); addresses it does resolve
    to must still be public.
    """
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS:
        raise UnsafeURL(f"Only http and https URLs are allowed, not {parts.scheme or 'none'}.")
    host = parts.hostname
    if not host:
        raise UnsafeURL("The URL has no host.")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise UnsafeURL("The URL has an invalid port.") from exc
    try:
        addresses = resolve(host, port)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        if must_resolve:
            raise UnsafeURL(f"The host {host} could not be resolved.") from exc
        return
    if not addresses:
        raise UnsafeURL(f"The host {host} has no address.")
    for address in addresses:
        if not _public(address, allow_loopback):
            raise UnsafeURL(
                f"The host {host} resolves to {address}, which is not a public address."
            )


def safe_session(*, allow_loopback: bool = False, read_timeout: float = 15.0):  # type: ignore[no-untyped-def]
    """A requests session that pins the checked IP and never follows redirects."""
    return Manager(
        Config(
            ip_filter_enable=True,
            ip_filter_allow_loopback_ips=allow_loopback,
            never_redirect=True,
            default_timeout=(CONNECT_TIMEOUT, read_timeout),
            user_agent_override=USER_AGENT,
        )
    ).get_session()
