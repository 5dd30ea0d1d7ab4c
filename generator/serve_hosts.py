"""Which requests `serve` answers: Host names it is bound to, websockets of its own pages.

Pure functions of header values; devhttp.py applies them to every route (DNS rebinding).
"""
from __future__ import annotations

import ipaddress
from typing import Iterable
from urllib.parse import urlsplit

LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
WILDCARDS = frozenset({"0.0.0.0", "[::]"})        # --host values that bind every address


def allowed_hosts(bind_host: str, bound: Iterable[str] = (), machine_name: str = "") -> frozenset[str]:
    """The host names (lower case, IPv6 in brackets, no port) the server answers for.

    Why: with DNS rebinding, a hostile page at http://evil.example:8000/ gets evil.example pointed
    at 127.0.0.1 after it loaded; the browser then treats the dev server as that page's own origin
    and lets it read every previewed page, drafts included. The browser still sends
    `Host: evil.example:8000`, so answering only the names the server is bound to stops it.

    These are: the loopback names, `bind_host` (serve's --host) and the addresses of the `bound`
    sockets. For a wildcard --host (0.0.0.0, ::, ""), whose addresses we do not list, the wildcard
    stays in the set and `host_allowed` then accepts any IP address literal (an address cannot be
    rebound: the page's origin is then the address itself, i.e. this server), and `machine_name`
    (the caller passes socket.gethostname()) is added with its mDNS form `<name>.local`. Any other
    name of the machine (a DNS name of the LAN) must be given as --host to be answered.
    """
    names = set(LOCAL_NAMES) | {_canonical(name or "0.0.0.0") for name in (bind_host.strip(), *bound)}
    if names & WILDCARDS and machine_name:
        name = _canonical(machine_name)
        names |= {name, f"{name}.local"}
    return frozenset(names)


def host_allowed(header: str, allowed: frozenset[str]) -> bool:
    """Whether a request's Host header (`name`, `name:port`, `[v6]:port`; any case, a trailing dot
    allowed) names one of `allowed` (see `allowed_hosts`). The port is not compared: the socket
    already decided which port the request came in on."""
    parsed = _split_host(header)
    if parsed is None:
        return False
    name = parsed[0]
    return name in allowed or (bool(allowed & WILDCARDS) and _is_address(name))


def same_origin(origin: str, host_header: str) -> bool:
    """Whether a websocket's Origin header (`http://name:port`) is the page origin of the Host it
    asked for: same name and port (default ports filled in), compared as `host_allowed` does."""
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    mine = _split_host(host_header)
    theirs = _split_host(parts.netloc, default_port="443" if parts.scheme == "https" else "80")
    return mine is not None and mine == theirs


def _split_host(value: str, default_port: str = "80") -> tuple[str, str] | None:
    """(canonical name, port) of a `name[:port]` or `[v6][:port]` header, or None when malformed."""
    if value.startswith("["):
        end = value.find("]") + 1
        name, rest = value[:end], value[end:]
        if not end or not _is_address(name):
            return None
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
    port = rest[1:]
    if rest[:1] not in ("", ":") or not (port == "" or (port.isascii() and port.isdigit())):
        return None
    name = _canonical(name)
    return (name, str(int(port)) if port else default_port) if name else None


def _canonical(name: str) -> str:
    """Lower case, without the final dot of a fully qualified name; IP addresses in their
    canonical form, IPv6 in brackets ("::1", "[0:0::1]" -> "[::1]")."""
    name = name.lower()
    name = name[:-1] if name.endswith(".") else name
    try:
        address = ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
    except ValueError:
        return name
    return f"[{address}]" if address.version == 6 else str(address)


def _is_address(name: str) -> bool:
    """An IP literal as a Host header writes it: dotted IPv4, or IPv6 in brackets."""
    bare, v6 = (name[1:-1], True) if name.startswith("[") and name.endswith("]") else (name, False)
    try:
        return ipaddress.ip_address(bare).version == (6 if v6 else 4)
    except ValueError:
        return False
