"""Allow-list sanitising of the HTML that Markdown bodies produce (raw HTML included), via nh3."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

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


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        parts = urlsplit(value)
        return value if parts.scheme == "https" and parts.hostname in EMBED_HOSTS else None
    if attribute in ("href", "src", "poster") and value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
        return None
    return value


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
