"""What the search index holds: one small HTML document per searchable page (pure functions).

Pagefind folds tone marks ("đoàn" is found by "đoan") but not "đ", which is a letter of its own
and not "d" plus a mark: "doan" would miss "Công đoàn", "dai hoi" would miss "Đại hội" and
"dang" would miss the surname "Đặng". So every record carries, after the text readers see, a
supplement: each word that holds "đ" again, folded to plain letters ("Đoàn" -> "Doan"), the
title's in a paragraph weighted like the title. A query typed without diacritics matches the
supplement exactly (and the other words through Pagefind's own folding); a query typed with
them matches the original words exactly, which Pagefind ranks first.

Ranking: Pagefind searches metadata too, weighted by the search page's `ranking.metaWeights`;
each record carries its title folded (meta "folded"), so "cong doan" ranks a story titled
"Công đoàn …" above one that only holds "doanh nghiệp" (a rarer word, which plain word scoring
would favour).

The supplement starts with SENTINEL so the search page can cut it off and build excerpts from
the text with its diacritics (static/js/search.js); the sentinel is removed from page text.

Kinds: every record carries one Pagefind filter, `kind` (KIND_FILTER), whose value says what it
is: a news article, a campaign, a page, or an honour-roll record (entry, roll or unit:
search_rolls). The values are fixed keys, not the theme's labels, so every part of the index,
the fresh part included, holds the same ones whatever the theme calls them. The search page runs
a query once per kind, shows the counts, lets the reader narrow the results to one kind, and
shows the kinds one after another (KINDS: news first; static/js/search.js says when another kind
comes first), never mixed by score: Pagefind scores each part against its own word statistics,
so a score of the rolls' part cannot be weighed against one of a year's part.

Every part holds records of one kind only (a year's articles, CAMPAIGNS, GENERAL's pages, the
rolls; the fresh part is split the same way: search_fresh.fresh_parts). Pagefind writes a
filter's values in the order of a Rust hash map, which changes from run to run (Pagefind 1.5:
"TODO: Change filter indexes to BTree to give them a stable hash"), so a part holding two kinds
would have other bytes at every build.

Blocks: the body's block and table-cell tags are padded with spaces (search_text.spaced), so the
text of two neighbouring cells is two words in the index, not one.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import NamedTuple

from generator import urls
from generator.model import SiteModel
from generator.search_text import d_words, plain_text, spaced
from generator.vietnamese import format_date, search_fold

GENERAL = "chung"            # the index part of standalone pages
CAMPAIGNS = "phong-trao"     # the index part of campaigns (one kind per part: see below)
SENTINEL = "\u2042"          # "⁂": not a word character, so Pagefind does not index it
TITLE_WEIGHT = 7             # Pagefind's own weight for <h1>
FOLDED_META = "folded"       # the title without diacritics; search.js weights it in ranking
KIND_FILTER = "kind"         # the Pagefind filter of every record: one of KINDS
KIND_NEWS, KIND_CAMPAIGN, KIND_PAGE, KIND_ROLL = "tin-tuc", "phong-trao", "gioi-thieu", "vinh-danh"
KINDS = (KIND_NEWS, KIND_CAMPAIGN, KIND_PAGE, KIND_ROLL)     # in the order the search page shows them


@dataclass(frozen=True, slots=True)
class SearchRecord:
    url: str          # site path without the deploy's base path (Pagefind adds its baseUrl);
                      # a result links here unless its "href" meta says otherwise
    html: str         # the document Pagefind indexes
    group: str = GENERAL   # the part of the index it goes to (see search_index): a year, CAMPAIGNS or GENERAL


def record_html(title: str, body_html: str, meta: dict[str, str], language: str, body_words: str | None = None,
                *, kind: str) -> str:
    """A search document: title and body for the index and excerpts, the "đ" supplement, and
    metadata (what a result shows, and the folded title for ranking) outside the indexed text;
    its `kind` (one of KINDS) as a Pagefind filter.
    `body_words`: the body's supplement when the caller has it already (d_words of its text)."""
    if kind not in KINDS:
        raise ValueError(f"no search kind {kind!r}")
    body_html = spaced(body_html.replace(SENTINEL, ""))
    title_words = d_words(title)
    if body_words is None:
        body_words = d_words(plain_text(body_html))
    meta = {**meta, FOLDED_META: search_fold(title)}
    meta_html = "".join(f'<span data-pagefind-meta="{html.escape(key)}">{html.escape(value)}</span>'
                        for key, value in meta.items() if value)
    return (f'<!DOCTYPE html><html lang="{language}"><head><title>{html.escape(title)}</title></head><body>'
            f'<main data-pagefind-body data-pagefind-filter="{KIND_FILTER}:{kind}">'
            f'<h1 data-pagefind-meta="title">{html.escape(title)}</h1>{body_html}'
            f'<p>{SENTINEL}</p>'
            f'<p data-pagefind-weight="{TITLE_WEIGHT}">{html.escape(title_words)}</p>'
            f'<p>{html.escape(body_words)}</p></main>{meta_html}</body></html>')


class Member(NamedTuple):
    """A searchable document before its record is made: its URL places it in an index part
    (see search_index.split_group) and its document keys the part (search_index.part_key), so
    records are made only for the parts the bundle cache lacks. (A named tuple: every build
    makes one per document, three times faster than a frozen dataclass.)"""
    url: str
    group: str        # the record's group: the article's year, CAMPAIGNS or GENERAL
    kind: str         # "article", "page" or "campaign": which function below makes its record
    doc: object       # the Article, Page or Campaign, exactly as its reader made it


def model_members(model: SiteModel) -> list[Member]:
    """Articles (newest first), standalone pages and campaigns, in the order of their records;
    each kind in parts of its own (a year's articles, CAMPAIGNS, GENERAL)."""
    pattern = model.config.permalinks.article
    found = [Member(urls.article(a, pattern), str(a.date.year), "article", a) for a in model.articles]
    found += [Member(urls.page(p.slug), GENERAL, "page", p) for p in model.pages]
    found += [Member(urls.campaign(c.slug), CAMPAIGNS, "campaign", c) for c in model.campaigns]
    return found


def category_names(config) -> dict[str, str]:
    """Category key -> display name: an article record shows its category's name."""
    return {c.key: c.name for c in config.categories}


def member_record(member: Member, names: dict[str, str], labels: dict[str, str], language: str) -> SearchRecord:
    """The record of one member, straight from its document (no page chrome, so a story is not
    found through another story's "related" links).

    Besides the document it reads only `names` (articles), `labels` (pages, campaigns) and
    `language`: search_index.part_key holds exactly these, so keep the two in step."""
    doc = member.doc
    if member.kind == "article":
        html_ = _article_html(doc, names, language)
    elif member.kind == "page":
        html_ = record_html(doc.title, doc.body_html, {"category": labels["page"]}, language, kind=KIND_PAGE)
    elif member.kind == "campaign":
        intro = " ".join(p for p in (doc.summary, doc.issuer, doc.document) if p)
        body = f"<p>{html.escape(intro)}</p>{doc.body_html}" + "".join(
            f"<p>{html.escape(t.label)}</p>" for t in doc.targets)
        meta = {"category": labels["campaign"], "date": format_date(doc.start, language) if doc.start else ""}
        html_ = record_html(doc.title, body, meta, language, kind=KIND_CAMPAIGN)
    else:
        raise ValueError(f"no search record for a {member.kind!r}")
    return SearchRecord(member.url, html_, member.group)


def _article_html(article, names: dict[str, str], language: str) -> str:
    lead = f"({article.source}) {article.sapo}" if article.source else article.sapo
    parts = [f"<p>{html.escape(lead)}</p>" if lead else "", article.body_html]
    if article.image_caption:
        parts.append(f"<p>{html.escape(article.image_caption)}</p>")
    if article.authors or article.byline:
        parts.append(f"<p>{html.escape(article.byline or ', '.join(article.authors))}</p>")
    meta = {"date": format_date(article.date, language), "category": names.get(article.category, article.category)}
    # the supplement of each part in turn: the same words as d_words of the whole text
    words = [d_words(lead), article.body_d_words, d_words(article.image_caption),
             d_words(article.byline or ", ".join(article.authors))]
    return record_html(article.title, "".join(parts), meta, language, " ".join(w for w in words if w),
                       kind=KIND_NEWS)


def model_records(model: SiteModel, labels: dict[str, str]) -> list[SearchRecord]:
    """Every member's record (the whole index's records, for tests and tools: a build makes only
    those of the parts it must index)."""
    names, language = category_names(model.config), model.config.language
    return [member_record(m, names, labels, language) for m in model_members(model)]
