"""Site settings (`site.yaml`): a pure `parse_config` behind a thin `load_config`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator import urls
from generator.branding import Branding, parse_branding
from generator.diagnostics import ContentError, Diagnostics, did_you_mean
from generator.url_policy import check_url
from generator.vietnamese import MAX_SLUG
from generator.yamlread import LineMap, load_yaml

CONFIG_FILE = "site.yaml"
CATEGORY_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Every top-level key of site.yaml, with what it means; unknown keys get a did-you-mean warning.
KNOWN_KEYS = {
    "title": "site name shown in the header and feeds",
    "tagline": "slogan shown in the banner",
    "description": "one or two sentences for search engines and feeds",
    "base_url": "absolute URL the site is published at; may carry a sub-path",
    "language": "vi or en: UI strings and date and number formats",
    "timezone": "IANA time zone of dates written without an offset",
    "theme": "theme name, looked up in the site's themes/ then the bundled ones",
    "per_page": "articles per listing page",
    "organisation": "name, licence, responsible, address, phone, fax, email for the footer",
    "menu": "list of {title, url} in the header",
    "categories": "key: name or key: {name, parent, description}",
    "feeds": "{length, full_content} for RSS and Atom feeds",
    "branding": "logo, brand_colour, accent_colour, favicon, head_html, footer_links, member_links",
    "new": "defaults for `build.py new`: {author} written into new articles",
    "permalinks": "{article: pattern} of article addresses with :year :month :day :category :slug",
}
# The parts an article's permalink pattern may hold (urls.article fills them in).
ARTICLE_TOKENS = (":year", ":month", ":day", ":category", ":slug")
_PATTERN_SEGMENT = re.compile(r"^(?:[a-z0-9-]|:year|:month|:day|:category|:slug)+$")
ORGANISATION_KEYS = ("name", "licence", "responsible", "address", "phone", "fax", "email")
# The footer's legal line of an electronic information portal, e.g. "Nguyễn Văn An, Phó Chủ tịch".
RESPONSIBLE_LABEL = "chịu trách nhiệm nội dung:"


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    name: str
    parent: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class MenuItem:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str = ""
    licence: str = ""
    responsible: str = ""        # who answers for the content: name and title
    address: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Permalinks:
    article: str = urls.ARTICLE_PATTERN


@dataclass(frozen=True, slots=True)
class FeedSettings:
    length: int = 20
    full_content: bool = False


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str
    base_url: str
    tagline: str = ""
    description: str = ""
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    theme: str = "congdoan"
    per_page: int = 20
    organisation: Organisation = field(default_factory=Organisation)
    menu: tuple[MenuItem, ...] = ()
    categories: tuple[Category, ...] = ()
    feeds: FeedSettings = field(default_factory=FeedSettings)
    branding: Branding = field(default_factory=Branding)
    permalinks: Permalinks = field(default_factory=Permalinks)
    lines: LineMap = field(default_factory=LineMap, compare=False, repr=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always with slashes at both ends: "/" or "/ldld/"."""
        path = urlsplit(self.base_url).path.strip("/")
        return f"/{path}/" if path else "/"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def category(self, key: str) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)


def load_config(site_dir: Path, base_url: str | None = None) -> tuple[SiteConfig, Diagnostics]:
    """Read `site.yaml` of a site folder; raises ContentError for a missing or unreadable file."""
    path = site_dir / CONFIG_FILE
    diags = Diagnostics()
    if not path.is_file():
        diags.error(CONFIG_FILE, None, f"no {CONFIG_FILE} in {site_dir}",
                    "run the command in a site folder or pass --site DIR")
        raise ConfigError(diags)
    from generator.readers.frontmatter import decode

    try:
        text = decode(path.read_bytes(), CONFIG_FILE)
    except ContentError as exc:     # not UTF-8 (the message names the likely encoding), NUL bytes
        diags.extend([exc.diagnostic])
        raise ConfigError(diags)
    config, diags = parse_config(text, base_url)
    if diags.has_errors:
        raise ConfigError(diags)
    return config, diags


class ConfigError(Exception):
    def __init__(self, diagnostics: Diagnostics):
        super().__init__("\n".join(d.format() for d in diagnostics.sorted()))
        self.diagnostics = diagnostics


def parse_config(text: str, base_url_override: str | None = None) -> tuple[SiteConfig | None, Diagnostics]:
    """Turn the text of site.yaml into a SiteConfig, collecting every problem."""
    diags = Diagnostics()
    try:
        raw, lines = load_yaml(text, CONFIG_FILE)
    except ContentError as exc:
        diags.extend([exc.diagnostic])
        return None, diags
    if not isinstance(raw, dict):
        diags.error(CONFIG_FILE, 1, "site.yaml must be a mapping of settings (key: value)")
        return None, diags
    diags.extend(lines.warnings)

    def err(message, *pos, hint=None):
        diags.error(CONFIG_FILE, lines.line(*pos), message, hint)

    for key in raw:
        if key not in KNOWN_KEYS:
            diags.warning(CONFIG_FILE, lines.line(key), f"unknown setting '{key}'",
                          did_you_mean(str(key), KNOWN_KEYS))

    title = _text(raw, "title", err, required=True)
    base_url = base_url_override or _text(raw, "base_url", err, required=True)
    if base_url and not re.match(r"^https?://[^/]+", base_url):
        err(f"base_url must be an absolute http(s) URL, not '{base_url}'", "base_url",
            hint="for example https://congdoan.example.vn/")
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    language = _text(raw, "language", err) or "vi"
    if language not in ("vi", "en"):
        err(f"language must be 'vi' or 'en', not '{language}'", "language")
    timezone = _text(raw, "timezone", err) or "Asia/Ho_Chi_Minh"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        err(f"unknown time zone '{timezone}'", "timezone", hint="for example Asia/Ho_Chi_Minh")
        timezone = "Asia/Ho_Chi_Minh"
    per_page = raw.get("per_page", 20)
    if not isinstance(per_page, int) or isinstance(per_page, bool) or per_page < 1:
        err("per_page must be a whole number of at least 1", "per_page")
        per_page = 20

    config = SiteConfig(
        title=title or "",
        base_url=base_url or "https://example.invalid/",
        tagline=_text(raw, "tagline", err) or "",
        description=_text(raw, "description", err) or "",
        language=language,
        timezone=timezone,
        theme=_text(raw, "theme", err) or "congdoan",
        per_page=per_page,
        organisation=_organisation(raw.get("organisation"), err),
        menu=_menu(raw.get("menu"), err),
        categories=_categories(raw.get("categories"), err),
        feeds=_feeds(raw.get("feeds"), err),
        branding=parse_branding(raw.get("branding"), diags, lines),
        permalinks=_permalinks(raw.get("permalinks"), err),
        lines=lines,
    )
    return config, diags


def _text(raw: dict, key: str, err, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            err(f"'{key}' is required", key)
        return None
    if isinstance(value, (dict, list)):
        err(f"'{key}' must be text", key)
        return None
    return str(value)


def _organisation(value, err) -> Organisation:
    if value is None:
        return Organisation()
    if not isinstance(value, dict):
        err("organisation must be a mapping of name, licence, address, phone, fax, email", "organisation")
        return Organisation()
    for key in value:
        if key not in ORGANISATION_KEYS:
            err(f"unknown organisation field '{key}'", "organisation", key,
                hint=did_you_mean(str(key), ORGANISATION_KEYS))
    fields = {k: str(value[k]) for k in ORGANISATION_KEYS if value.get(k) is not None and k != "responsible"}
    return Organisation(**fields, responsible=_responsible(value.get("responsible"), err))


def _responsible(value, err) -> str:
    """`responsible: "Nguyễn Văn An, Phó Chủ tịch"`, or `{name: …, title: …}`; a leading "Chịu
    trách nhiệm nội dung:" is dropped, since the footer writes it."""
    if value is None:
        return ""
    if isinstance(value, dict):
        unknown = set(map(str, value)) - {"name", "title"}
        for key in sorted(unknown):
            err(f"unknown field '{key}' of organisation.responsible", "organisation", "responsible", key,
                hint="write name: and title:")
        text = ", ".join(str(value[k]).strip() for k in ("name", "title") if value.get(k))
    elif isinstance(value, list):
        err("organisation.responsible must be a name and title, not a list", "organisation", "responsible")
        return ""
    else:
        text = str(value).strip()
    if text.lower().startswith(RESPONSIBLE_LABEL):
        text = text[len(RESPONSIBLE_LABEL):].strip()
    return text


def _menu(value, err) -> tuple[MenuItem, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        err("menu must be a list of {title, url}", "menu")
        return ()
    items = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not item.get("title") or not item.get("url"):
            err("each menu item needs a title and a url", "menu", index)
            continue
        checked = check_url(str(item["url"]))
        if not checked.ok:
            err(f"menu url cannot be published: {checked.problem}: '{item['url']}'", "menu", index, "url",
                hint="write a path on this site such as /thoi-su/, or an https:// address")
            continue
        items.append(MenuItem(str(item["title"]), checked.url))
    return tuple(items)


def _categories(value, err) -> tuple[Category, ...]:
    if value is None:
        err("'categories' is required: at least one category key and name", "categories")
        return ()
    if not isinstance(value, dict):
        err("categories must be a mapping of key: name", "categories")
        return ()
    categories = []
    for key, spec in value.items():
        key = str(key)
        if not CATEGORY_KEY.match(key):
            err(f"category key '{key}' must be lower-case letters, digits and hyphens", "categories", key)
            continue
        if len(key) > MAX_SLUG:
            err(f"category key '{key[:40]}…' is {len(key)} characters long; a web address part may have "
                f"at most {MAX_SLUG}", "categories", key, hint="shorten the category key")
            continue
        if isinstance(spec, str):
            categories.append(Category(key, spec))
        elif isinstance(spec, dict) and spec.get("name"):
            unknown = set(spec) - {"name", "parent", "description"}
            for bad in sorted(unknown):
                err(f"unknown category field '{bad}'", "categories", key, bad,
                    hint=did_you_mean(bad, ("name", "parent", "description")))
            parent = spec.get("parent")
            categories.append(Category(key, str(spec["name"]), str(parent) if parent else None,
                                       str(spec.get("description") or "")))
        else:
            err(f"category '{key}' needs a name", "categories", key)
    keys = {c.key for c in categories}
    for category in categories:
        if category.parent and category.parent not in keys:
            err(f"category '{category.key}' has unknown parent '{category.parent}'",
                "categories", category.key, "parent", hint=did_you_mean(category.parent, keys))
        if category.parent == category.key:
            err(f"category '{category.key}' cannot be its own parent", "categories", category.key)
    return tuple(categories)


def _feeds(value, err) -> FeedSettings:
    if value is None:
        return FeedSettings()
    if not isinstance(value, dict):
        err("feeds must be a mapping {length, full_content}", "feeds")
        return FeedSettings()
    length = value.get("length", 20)
    if not isinstance(length, int) or isinstance(length, bool) or length < 1:
        err("feeds.length must be a whole number of at least 1", "feeds", "length")
        length = 20
    full = value.get("full_content", False)
    if not isinstance(full, bool):
        err("feeds.full_content must be true or false", "feeds", "full_content")
        full = False
    return FeedSettings(length, full)


def _permalinks(value, err) -> Permalinks:
    """`permalinks: {article: "/:year/:month/:slug/"}`: a federation moving from an old CMS keeps
    its addresses. The pattern must name the slug, so that two articles have two addresses."""
    if value is None:
        return Permalinks()
    if not isinstance(value, dict):
        err("permalinks must be a mapping such as {article: \"/:category/:slug/\"}", "permalinks")
        return Permalinks()
    for key in value:
        if key != "article":
            err(f"unknown permalinks kind '{key}'", "permalinks", key, hint="only 'article' can be set")
    pattern = value.get("article")
    if pattern is None:
        return Permalinks()
    pattern = str(pattern).strip()
    segments = pattern.strip("/").split("/")
    problem = None
    if not (pattern.startswith("/") and pattern.endswith("/")) or "//" in pattern:
        problem = "must start and end with '/'"
    elif ":slug" not in pattern:
        problem = "must contain :slug, or two articles could share one address"
    elif not all(_PATTERN_SEGMENT.match(s) for s in segments):
        problem = f"may hold only {', '.join(ARTICLE_TOKENS)}, lower-case letters, digits and '-'"
    elif segments[0] in urls.RESERVED:
        problem = f"cannot start with /{segments[0]}/: the generator publishes its own pages there"
    if problem:
        err(f"permalinks.article '{pattern}' {problem}", "permalinks", "article",
            hint="for example \"/:category/:slug/\" or \"/tin-tuc/:year/:month/:slug/\"")
        return Permalinks()
    return Permalinks(pattern)
