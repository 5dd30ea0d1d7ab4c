"""The fresh part: a few edited records indexed on their own, beside the parts they supersede.

Pagefind cannot update an index, and re-indexing an article's year costs ~2 s at 10,000
articles (~850 records), which an editor pays on every save. So, as a search engine keeps a
small new segment beside its large ones and marks the old copies deleted (Lucene's segments
and deletions), a build whose changes to the index are few leaves each changed part's last full
bundle (its *base*) published as it is, indexes the changed and new records alone in a part of
their own (FRESH), and lists, per base, the URLs whose old record the search page must hide
(an edited or deleted document). The search page drops those results by fragment id, checking
the URL of any result it drops (parts.json "hidden"; static/js/search.js).

When the changes pass FRESH_LIMIT records, or anything besides the members changed (labels,
category names, code: a part's *head*), the changed parts are indexed whole again and become
the new bases, and the fresh part goes away. A cold build always indexes whole parts.

What readers may notice: Pagefind scores each part against its own word statistics, so a record
in the fresh part may rank a little differently than it would in its year's part. Results are
otherwise the same: every current record once, no old one.

A base is remembered per part name in the cache (`base-<part>.json`: the bundle's key, the head
and each member's row digest), written when a whole part is installed.

The fresh records are indexed as one part per kind of record (`fresh_parts`: FRESH for
articles, FRESH-<group> for the others), as the whole parts are: a Pagefind part holding two
kinds would have other bytes at every build (see search_records, "Kinds").
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from typing import Callable

from generator.search_records import Member

FRESH = "cap-nhat"            # the fresh part's folder under /pagefind/ ("update"), and its kinds' prefix
FRESH_LIMIT = 50              # records; Pagefind indexes 50 in ~0.15 s, a year's part in ~2 s
URLS_FILE = "bundle-urls.json"   # in a cached bundle: the URL of each fragment id (not installed)
FRAGMENT_HEADER = b"pagefind_dcd"


@dataclass(frozen=True, slots=True)
class Base:
    """The last whole bundle of a part: its cache key, its head, and each member's row digest."""
    digest: str
    head: str
    rows: dict[str, str]       # member URL -> row digest (search_index.member_row)


@dataclass(frozen=True, slots=True)
class Fresh:
    """What a build indexes in the fresh part and what it hides in the bases it keeps."""
    bases: dict[str, str]                  # part -> base bundle key, published as it is
    members: list[Member]                  # the records to index in the fresh parts (fresh_parts)
    hidden: dict[str, frozenset[str]]      # part -> URLs whose record in the base is stale


def plan_fresh(missing: dict[str, list[Member]], heads: dict[str, str], rows: dict[str, dict[str, str]],
               bases: dict[str, Base | None], limit: int | None = None) -> Fresh | None:
    """The fresh part for the parts the cache lacks (`missing`: part -> members), or None when
    they must be indexed whole: a part with a base of the same head keeps it, and its changed and
    new members go to the fresh part; a part without one (a new year) is indexed whole. None when
    no part has a base or the fresh records would pass `limit` (pure)."""
    kept: dict[str, str] = {}
    fresh: list[Member] = []
    hidden: dict[str, frozenset[str]] = {}
    for part, members in missing.items():
        base = bases.get(part)
        if base is None or base.head != heads[part]:
            continue
        now = rows[part]
        changed = [m for m in members if base.rows.get(m.url) != now[m.url]]
        kept[part] = base.digest
        fresh.extend(changed)
        stale = frozenset(url for url in base.rows if now.get(url) != base.rows[url])
        if stale:
            hidden[part] = stale
    if not kept or len(fresh) > (FRESH_LIMIT if limit is None else limit):
        return None
    return Fresh(kept, fresh, hidden)


def fresh_parts(members: list[Member]) -> dict[str, list[Member]]:
    """The fresh members as parts of one kind each: FRESH for articles, FRESH-<group> for the
    others (pages, campaigns), in the order of their first member."""
    parts: dict[str, list[Member]] = {}
    for member in members:
        name = FRESH if member.kind == "article" else f"{FRESH}-{member.group}"
        parts.setdefault(name, []).append(member)
    return parts


def is_fresh(part: str) -> bool:
    """Whether an index part is one of fresh_parts."""
    return part == FRESH or part.startswith(f"{FRESH}-")


def choose_fresh(members: dict[str, list[Member]], digests: dict[str, str], cache: Path,
                 has: Callable[[str], bool], head: Callable[[str, list[Member]], str], row: Callable[[Member], str]
                 ) -> tuple[Fresh, dict[str, dict[str, str]]] | None:
    """The fresh part of a build whose parts are `members`, keyed `digests` (part -> bundle key),
    with the bundle cache in `cache` (`has`: whether it holds a bundle); with, per base kept, the fragment ids to hide (id -> URL).
    None when the parts the cache lacks must be indexed whole (see plan_fresh), or a base's
    records cannot all be found (then it cannot be trusted to hide them)."""
    missing = {p: found for p, found in members.items() if not has(digests[p])}
    bases = {p: load_base(cache, p) for p in missing}
    bases = {p: base for p, base in bases.items() if base is not None and has(base.digest)}
    if not bases:
        return None
    heads = {p: row_digest(head(p, missing[p])) for p in bases}
    rows = {p: {m.url: row_digest(row(m)) for m in missing[p]} for p in bases}
    fresh = plan_fresh({p: missing[p] for p in bases}, heads, rows, bases)
    if fresh is None:
        return None
    ids: dict[str, dict[str, str]] = {}
    for part, stale in fresh.hidden.items():
        try:
            found = fragment_ids(cache / fresh.bases[part], stale)
        except (OSError, ValueError, KeyError, TypeError, EOFError, zlib.error):
            return None
        if len(found) != len(stale) or set(found.values()) != stale:
            return None
        ids[part] = found
    return fresh, ids


def describe(part: str, members: list[Member], digest: str, head: Callable[[str, list[Member]], str],
             row: Callable[[Member], str]) -> Base:
    """A part indexed whole, as the base of later fresh parts."""
    return Base(digest, row_digest(head(part, members)), {m.url: row_digest(row(m)) for m in members})


def base_path(cache: Path, part: str) -> Path:
    return cache / f"base-{part}.json"


def load_base(cache: Path, part: str) -> Base | None:
    """The remembered base of a part; None if there is none or it does not read as one."""
    try:
        data = json.loads(base_path(cache, part).read_text(encoding="utf-8"))
        base = Base(str(data["digest"]), str(data["head"]), {str(k): str(v) for k, v in data["rows"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return base


def save_base(cache: Path, part: str, base: Base) -> None:
    """Remember a part's whole bundle (written whole, then renamed, so a reader sees one or the other)."""
    cache.mkdir(parents=True, exist_ok=True)
    target = base_path(cache, part)
    staged = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    staged.write_text(json.dumps({"digest": base.digest, "head": base.head, "rows": base.rows},
                                 ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(staged, target)


def fragment_ids(bundle: Path, wanted: frozenset[str]) -> dict[str, str]:
    """fragment id -> URL for the records of `wanted` URLs in a Pagefind bundle: the ids the
    search page must hide. Read once from the bundle's fragments, then kept beside them."""
    found = _read_urls_file(bundle)
    if found is None:
        found = {}
        for entry in os.scandir(bundle / "fragment"):
            if not entry.name.endswith(".pf_fragment"):
                continue
            with open(entry.path, "rb") as stream:
                data = gzip.decompress(stream.read())
            if data.startswith(FRAGMENT_HEADER):
                data = data[len(FRAGMENT_HEADER):]
            found[entry.name.removesuffix(".pf_fragment")] = json.loads(data)["url"]
        staged = bundle / f"{URLS_FILE}.{os.getpid()}.tmp"
        staged.write_text(json.dumps(found, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(staged, bundle / URLS_FILE)
    return {fid: url for fid, url in sorted(found.items()) if url in wanted}


def _read_urls_file(bundle: Path) -> dict[str, str] | None:
    try:
        found = json.loads((bundle / URLS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def row_digest(row: str) -> str:
    return hashlib.sha256(row.encode("utf-8", "surrogatepass")).hexdigest()[:20]
