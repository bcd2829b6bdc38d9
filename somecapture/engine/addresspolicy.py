"""The address policy of a capture: which hosts and IP addresses count as the archivist's own
private or local network, and so are refused unless private networks are allowed.

A page under capture may try to reach the agency's intranet, a router or a cloud metadata
service; both lines of defence ask this module: :mod:`~somecapture.engine.netguard` (the
page's requests, by URL) and :mod:`~somecapture.engine.guardproxy` (every connection, by the
address it is about to connect to). Keeping the rules here means both lines refuse exactly the
same addresses.

Pure functions of their arguments: no resolving, no sockets.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from somecapture.messages import Msg

__all__ = [
    "PRIVATE_REASON",
    "is_local_name",
    "is_loopback_address",
    "is_private_address",
    "is_private_destination",
]

#: the reason recorded (provenance, failures) for a request refused by this policy
PRIVATE_REASON = Msg("net.private_reason")
_LOCAL_NAMES = ("localhost", "localhost.localdomain")


def is_private_address(address: str) -> bool:
    """Loopback, private (RFC 1918, fc00::/7), shared (100.64/10), link-local, unspecified,
    reserved or multicast."""
    ip = _parse_ip(address)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _SITE_LOCAL:
            return True  # deprecated fec0::/10, still routed inside some networks
        # IPv4 carried inside IPv6 (mapped, 6to4): judged by the IPv4 address it reaches
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            ip = embedded
    shared = isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_ADDRESS_SPACE
    return bool(ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified
                or ip.is_reserved or ip.is_multicast or shared)


_SITE_LOCAL = ipaddress.ip_network("fec0::/10")
# RFC 6598 carrier-grade NAT space: inside an ISP's or agency's network, never a public site
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")


def _parse_ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address from ``[::1]``, ``fe80::1%eth0`` or ``10.0.0.1``; None for a name."""
    try:
        return ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def is_loopback_address(address: str) -> bool:
    """An address of this computer itself (127/8, ``::1``, or 127/8 mapped into IPv6), which
    no upstream proxy can reach; False for a name."""
    ip = _parse_ip(address)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def is_local_name(host: str) -> bool:
    """``localhost`` and names under ``.localhost`` (RFC 6761: always loopback)."""
    h = host.lower().rstrip(".")
    return h in _LOCAL_NAMES or h.endswith(".localhost")


def is_private_destination(host: str, addresses: Iterable[str]) -> bool:
    """Whether connecting to ``host`` at any of ``addresses`` would reach a private or local
    network: ``host`` is a local name, or one of the addresses is private (a single private
    address is enough, since the connection may use any of them)."""
    return is_local_name(host) or any(is_private_address(a) for a in addresses)
