"""One policy for every URL that reaches a page from outside a Markdown body: front matter
(`video`, `image`), honour rolls (`photo`), site.yaml (menu, footer and member links), and the
`src` of embedded players inside bodies.

URLs are parsed the way browsers parse them (the WHATWG URL standard, through ada-url, the parser
Node.js uses), because a check made with another parser checks a different URL from the one the
reader's browser loads: Python's `urlsplit` reads `https://evil.example\\@www.youtube.com/` as a
YouTube address, while a browser treats the backslash as a slash and loads evil.example.
What is published is the URL rebuilt from the parsed parts, so the check and the page agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Flag, auto

import ada_url


class Allow(Flag):
    """Kinds of address a field may hold."""

    WEB = auto()          # http: and https: with a host
    CONTACT = auto()      # mailto: and tel:
    SITE = auto()         # a path on this site: /thoi-su/, /media/anh/bia.jpg


LINK = Allow.WEB | Allow.CONTACT | Allow.SITE
MEDIA = Allow.WEB | Allow.SITE

_SCHEMES = {"http:": Allow.WEB, "https:": Allow.WEB, "mailto:": Allow.CONTACT, "tel:": Allow.CONTACT}
# Any absolute URL resolves to itself against this base; a site path lands on its host.
_SITE_BASE = "https://site.invalid/"
_SITE_HOST = "site.invalid"


@dataclass(frozen=True, slots=True)
class Checked:
    url: str = ""              # what may be published ("" when refused)
    problem: str = ""          # why it was refused, for the editor

    @property
    def ok(self) -> bool:
        return not self.problem


def check_url(value: str, allow: Allow = LINK) -> Checked:
    """Whether `value` may be published as a link or a media address of the kinds in `allow`."""
    text = value.strip()
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return Checked(problem="the address contains a line break, tab or control character")
    if "\\" in text:
        return Checked(problem="the address contains a backslash (\\)")
    try:
        parsed = ada_url.URL(text, _SITE_BASE)
    except ValueError:
        return Checked(problem="this is not a valid address")
    relative = not has_scheme(text)
    if relative:
        if not text.startswith("/") or text.startswith("//") or parsed.hostname != _SITE_HOST:
            return Checked(problem="a link to this site must start with one '/' (e.g. /gioi-thieu/); "
                                   "a link elsewhere must start with https://")
        if Allow.SITE not in allow:
            return Checked(problem="a path on this site is not allowed here; write a full https:// address")
        return Checked(url=text)
    kind = _SCHEMES.get(parsed.protocol)
    if kind is None or kind not in allow:
        allowed = [name for name, k in (("http(s)://", Allow.WEB), ("mailto:/tel:", Allow.CONTACT),
                                        ("/…", Allow.SITE)) if k in allow]
        return Checked(problem=f"addresses starting with '{parsed.protocol}' are not allowed "
                               f"(only {', '.join(allowed)})")
    if kind is Allow.WEB and (parsed.username or parsed.password):
        return Checked(problem="the address has a user name before '@', which hides the real site")
    return Checked(url=parsed.href)


def embed_src(value: str, hosts: set[str]) -> str | None:
    """The `src` of an embedded player rebuilt from its parts, or None when it may not be embedded:
    https only, a host from `hosts`, no user name or password, no port."""
    try:
        parsed = ada_url.URL(value.strip())
    except ValueError:
        return None
    if (parsed.protocol != "https:" or parsed.username or parsed.password or parsed.port
            or parsed.hostname not in hosts):
        return None
    return f"https://{parsed.hostname}{parsed.pathname}{parsed.search}{parsed.hash}"


def parse(value: str):
    """The browser's reading of an absolute URL (ada_url.URL), or None if a browser would refuse it."""
    try:
        return ada_url.URL(value.strip())
    except ValueError:
        return None


def has_scheme(text: str) -> bool:
    """Whether `text` starts with a scheme ("https:", "javascript:"), as the URL standard reads one."""
    head, colon, _ = text.partition(":")
    return bool(colon) and head[:1].isascii() and head[:1].isalpha() and all(
        c.isascii() and (c.isalnum() or c in "+-.") for c in head)
