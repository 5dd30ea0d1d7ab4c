"""Campaigns (phong trào thi đua): front matter with period and targets, Markdown body."""
from __future__ import annotations

from generator.diagnostics import ContentError, Diagnostic, Diagnostics
from generator.documents import Campaign, Target
from generator.markdown_render import MarkdownRenderer, limit_warnings
from generator.readers.articles import SLUG
from generator.readers.fields import Fields
from generator.readers.frontmatter import decode, key_lines, size_warnings, split
from generator.sources import SourceFile

CAMPAIGN_KEYS = {"title", "start", "end", "issuer", "document", "image", "targets", "summary", "draft", "aliases"}
TARGET_KEYS = {"label", "target", "achieved", "unit"}


def read_campaign(source: SourceFile, markdown: MarkdownRenderer) -> tuple[Campaign | None, list[Diagnostic]]:
    diags = Diagnostics()
    try:
        doc = split(decode(source.data, source.path), source.path)
    except ContentError as exc:
        return None, [exc.diagnostic]
    f = Fields(doc.meta, source.path, doc.lines, diags)
    diags.extend(size_warnings(doc, source.path))
    f.warn_unknown(CAMPAIGN_KEYS, "front-matter key")
    slug = source.path.rsplit("/", 1)[-1].removesuffix(".md")
    if not SLUG.match(slug):
        diags.error(source.path, None, f"campaign file name '{slug}.md' must be a slug",
                    "use lower-case letters, digits and hyphens only")
    title = f.text("title", required=True)
    start, end = f.date("start"), f.date("end")
    if start and end and end < start:
        f.error("end", "the campaign ends before it starts")
    targets = _targets(f, doc.meta.get("targets"))
    rendered = markdown.render(doc.body)
    diags.extend(limit_warnings(rendered, source.path, doc.body_line))
    draft = f.boolean("draft")
    if not draft and not (rendered.html.strip() or rendered.lead or rendered.crowded):
        diags.error(source.path, doc.closing_line, "the campaign has no text below this line: nothing to publish",
                    "write its purpose and how to take part below the front matter, or keep 'draft: true'")
    if diags.has_errors:
        return None, diags.items
    return Campaign(source.path, slug, title, start, end, rendered.html,
                    summary=f.text("summary") or rendered.lead, issuer=f.text("issuer"),
                    document=f.text("document"), image=f.media("image", "/media/phong-trao/bia.jpg"), targets=targets,
                    links=rendered.links, images=rendered.images, key_lines=key_lines(doc, rendered),
                    draft=draft, aliases=f.aliases()), diags.items


def _targets(f: Fields, value) -> tuple[Target, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        f.error("targets", "'targets' must be a list of {label, target, achieved, unit}")
        return ()
    targets = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            f.error("targets", "each target must be a mapping {label, target, achieved, unit}")
            continue
        t = Fields(item, f.path, f.lines, f.diags, ("targets", index))
        t.warn_unknown(TARGET_KEYS, "target key")
        label = t.text("label", required=True)
        goal, achieved = t.number("target"), t.number("achieved")
        if goal is None and achieved is None:
            t.error(None, "a target needs 'target', 'achieved' or both")
        targets.append(Target(label, goal, achieved, t.text("unit")))
    return tuple(targets)
