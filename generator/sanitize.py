"""Allow-list sanitising of the HTML that Markdown bodies produce (raw HTML included), via nh3."""
from __future__ import annotations

import re

import nh3

from generator.url_policy import embed_src

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "video",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading"},
    "video": {"src", "controls", "poster", "width", "height", "preload"},
    "source": {"src", "type"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Video players that may be embedded; everything else in an <iframe src> is dropped.
EMBED_HOSTS = {"www.youtube.com", "youtube.com", "www.youtube-nocookie.com", "player.vimeo.com"}
# What a video player may ask of the browser (the Permissions Policy features YouTube's and Vimeo's
# embed codes request); camera, microphone, geolocation, payment and the rest are never granted.
PLAYER_FEATURES = {"accelerometer", "autoplay", "clipboard-write", "encrypted-media", "fullscreen",
                   "gyroscope", "picture-in-picture", "web-share"}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        return embed_src(value, EMBED_HOSTS)
    if tag == "iframe" and attribute == "allow":
        return player_permissions(value)
    if attribute in ("href", "src", "poster") and value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
        return None
    return value


def player_permissions(allow: str) -> str | None:
    """An iframe's `allow=` list cut to PLAYER_FEATURES, each for the frame's own origin only."""
    kept = []
    for directive in allow.split(";"):
        feature = directive.strip().split(" ")[0].lower()
        if feature in PLAYER_FEATURES and feature not in kept:
            kept.append(feature)
    return "; ".join(kept) or None


# An embed whose src was dropped is an empty frame: remove it whole.
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\bsrc=)[^>]*>.*?</iframe>", re.S)


def sanitize_html(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes; drop scripts and styles whole."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        filter_style_properties={"text-align"},
    )
    return _EMPTY_IFRAME.sub("", cleaned)
