"""Articles and standalone pages: front matter + Markdown body -> Article / Page."""
from __future__ import annotations

import dataclasses
import re
from zoneinfo import ZoneInfo

from generator.diagnostics import ContentError, Diagnostic, Diagnostics
from generator.documents import FORMATS, Article, Page, surface_digest
from generator.markdown_render import MarkdownRenderer, limit_warnings
from generator.readers.fields import Fields
from generator.readers.frontmatter import decode, key_lines, size_warnings, split
from generator.search_text import d_words, plain_text
from generator.sources import SourceFile
from generator.vietnamese import MAX_SLUG, slugify

ARTICLE_KEYS = {
    "title", "date", "category", "sapo", "source", "author", "byline", "tags", "image",
    "image_caption", "related", "campaign", "series", "featured", "format", "video", "updated",
    "draft", "slug", "id", "aliases",
}
PAGE_KEYS = {"title", "slug", "description", "draft", "aliases"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REFERENCE = re.compile(r"^(?:[a-z0-9-]+/)?[a-z0-9]+(?:-[a-z0-9]+)*$")


def read_article(source: SourceFile, tz: ZoneInfo, markdown: MarkdownRenderer) -> tuple[Article | None, list[Diagnostic]]:
    """Parse one article file; returns the article (None if unusable) and every problem found."""
    diags = Diagnostics()
    try:
        doc = split(decode(source.data, source.path), source.path)
    except ContentError as exc:
        return None, [exc.diagnostic]
    f = Fields(doc.meta, source.path, doc.lines, diags)
    diags.extend(size_warnings(doc, source.path))
    f.warn_unknown(ARTICLE_KEYS, "front-matter key")

    title = f.text("title", required=True)
    date = f.datetime("date", tz, required=True)
    category = f.text("category", required=True)
    slug = _slug(f, title)
    image = f.media("image", "/media/anh/bia.jpg")
    fmt = f.choice("format", FORMATS, "article")
    video = f.media("video", "https://www.youtube.com/watch?v=… or /media/video/phong-su.mp4")
    if fmt == "video" and not video:
        f.error("format", "a video article needs a 'video:' URL (YouTube link or /media/….mp4)")
    related = f.text_list("related")
    for ref in related:
        if not REFERENCE.match(ref):
            f.error("related", f"'{ref}' is not an article slug", "write the slug, or category/slug")
    sapo = f.text("sapo")
    rendered = markdown.render(doc.body, extract_lead=not sapo)
    diags.extend(limit_warnings(rendered, source.path, doc.body_line))
    draft = f.boolean("draft")
    # A video or photo story may be its medium alone; any other published article needs text.
    if not draft and fmt in ("article", "interview") and not (rendered.html.strip() or rendered.lead or rendered.crowded):
        diags.error(source.path, doc.closing_line, "the article has no text below this line: it would be "
                    "published empty",
                    "write the article below the front matter, or keep 'draft: true' until it is ready")

    if diags.has_errors or date is None:
        return None, diags.items
    article = Article(
        path=source.path,
        slug=slug,
        title=title,
        date=date,
        category=category,
        sapo=sapo or rendered.lead,
        body_html=rendered.html,
        body_d_words=d_words(plain_text(rendered.html)),
        toc=rendered.toc,
        source=f.text("source"),
        authors=f.text_list("author"),
        byline=f.text("byline"),
        tags=f.text_list("tags"),
        image=image,
        image_caption=f.text("image_caption"),
        related=related,
        campaign=f.text("campaign"),
        series=f.text("series"),
        featured=f.boolean("featured"),
        format=fmt,
        video=video,
        updated=f.datetime("updated", tz),
        draft=draft,
        feed_id=f.text("id"),
        aliases=f.aliases(),
        links=rendered.links,
        images=rendered.images,
        words=rendered.words,
        key_lines=key_lines(doc, rendered),
    )
    article = dataclasses.replace(article, surface=surface_digest(article))
    return (None if diags.has_errors else article), diags.items


def read_page(source: SourceFile, markdown: MarkdownRenderer) -> tuple[Page | None, list[Diagnostic]]:
    diags = Diagnostics()
    try:
        doc = split(decode(source.data, source.path), source.path)
    except ContentError as exc:
        return None, [exc.diagnostic]
    f = Fields(doc.meta, source.path, doc.lines, diags)
    diags.extend(size_warnings(doc, source.path))
    f.warn_unknown(PAGE_KEYS, "front-matter key")
    title = f.text("title", required=True)
    default_slug = source.path.rsplit("/", 1)[-1].removesuffix(".md")
    slug = f.text("slug") or slugify(default_slug)
    if not SLUG.match(slug):
        f.error("slug", f"slug '{slug}' may hold only lower-case letters, digits and hyphens")
    elif len(slug) > MAX_SLUG:
        f.error("slug" if "slug" in doc.meta else None, f"the slug is {len(slug)} characters long; "
                f"a web address part may have at most {MAX_SLUG}", "write a shorter 'slug:'")
    rendered = markdown.render(doc.body)
    diags.extend(limit_warnings(rendered, source.path, doc.body_line))
    aliases = f.aliases()
    if diags.has_errors or f.boolean("draft"):
        return None, diags.items
    return Page(source.path, slug, title, rendered.html, f.text("description") or rendered.lead,
                rendered.links, rendered.images, key_lines(doc, rendered), aliases), diags.items


def _slug(f: Fields, title: str) -> str:
    explicit = f.text("slug")
    if explicit:
        if not SLUG.match(explicit):
            f.error("slug", f"slug '{explicit}' may hold only lower-case letters, digits and hyphens",
                    f"for example '{slugify(explicit) or 'tin-moi'}'")
        elif len(explicit) > MAX_SLUG:
            f.error("slug", f"the slug is {len(explicit)} characters long; a web address part may have "
                            f"at most {MAX_SLUG}", f"shorten 'slug:', e.g. to '{slugify(explicit)}'")
        return explicit
    slug = slugify(title)
    if title and not slug:
        f.error("title", "the title gives an empty slug", "add a 'slug:' line")
    return slug
