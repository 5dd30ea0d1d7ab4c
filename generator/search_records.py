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
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from generator import urls
from generator.model import SiteModel
from generator.search_text import d_words, plain_text
from generator.vietnamese import format_date, search_fold

GENERAL = "chung"            # the index part of pages and campaigns
SENTINEL = "\u2042"          # "⁂": not a word character, so Pagefind does not index it
TITLE_WEIGHT = 7             # Pagefind's own weight for <h1>
FOLDED_META = "folded"       # the title without diacritics; search.js weights it in ranking


@dataclass(frozen=True, slots=True)
class SearchRecord:
    url: str          # site path without the deploy's base path (Pagefind adds its baseUrl);
                      # a result links here unless its "href" meta says otherwise
    html: str         # the document Pagefind indexes
    group: str = GENERAL   # the part of the index it goes to (see search_index): a year, or GENERAL


def record_html(title: str, body_html: str, meta: dict[str, str], language: str, body_words: str | None = None) -> str:
    """A search document: title and body for the index and excerpts, the "đ" supplement, and
    metadata (what a result shows, and the folded title for ranking) outside the indexed text.
    `body_words`: the body's supplement when the caller has it already (d_words of its text)."""
    body_html = body_html.replace(SENTINEL, "")
    title_words = d_words(title)
    if body_words is None:
        body_words = d_words(plain_text(body_html))
    meta = {**meta, FOLDED_META: search_fold(title)}
    meta_html = "".join(f'<span data-pagefind-meta="{html.escape(key)}">{html.escape(value)}</span>'
                        for key, value in meta.items() if value)
    return (f'<!DOCTYPE html><html lang="{language}"><head><title>{html.escape(title)}</title></head><body>'
            f'<main data-pagefind-body><h1 data-pagefind-meta="title">{html.escape(title)}</h1>{body_html}'
            f'<p>{SENTINEL}</p>'
            f'<p data-pagefind-weight="{TITLE_WEIGHT}">{html.escape(title_words)}</p>'
            f'<p>{html.escape(body_words)}</p></main>{meta_html}</body></html>')


def model_records(model: SiteModel, labels: dict[str, str], memo: dict | None = None) -> list[SearchRecord]:
    """Articles, standalone pages and campaigns, straight from the model (no page chrome, so a
    story is not found through another story's "related" links).

    `memo` (kept by `serve` between builds) maps an article's URL to its last record and what it
    was made from, so an unchanged article's record is not made again (~0.2 ms each)."""
    config, language = model.config, model.config.language
    names = {c.key: c.name for c in config.categories}
    records = []
    for article in model.articles:
        url = urls.article(article.category, article.slug)
        made_from = (article.title, article.body_html, article.source, article.sapo, article.image_caption,
                     article.byline, tuple(article.authors), article.date, names.get(article.category), language)
        known = memo.get(url) if memo is not None else None
        if known is not None and known[0] == made_from:
            records.append(known[1])
            continue
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
        records.append(SearchRecord(url, record_html(article.title, "".join(parts), meta, language,
                                                     " ".join(w for w in words if w)),
                                    str(article.date.year)))
        if memo is not None:
            memo[url] = (made_from, records[-1])
    for page in model.pages:
        records.append(SearchRecord(urls.page(page.slug),
                                    record_html(page.title, page.body_html, {"category": labels["page"]}, language)))
    for campaign in model.campaigns:
        intro = " ".join(p for p in (campaign.summary, campaign.issuer, campaign.document) if p)
        body = f"<p>{html.escape(intro)}</p>{campaign.body_html}" + "".join(
            f"<p>{html.escape(t.label)}</p>" for t in campaign.targets)
        meta = {"category": labels["campaign"],
                "date": format_date(campaign.start, language) if campaign.start else ""}
        records.append(SearchRecord(urls.campaign(campaign.slug), record_html(campaign.title, body, meta, language)))
    return records
