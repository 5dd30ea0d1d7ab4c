"""Site search: the /tim-kiem/ page and a static Pagefind index written into the output.

Pagefind (the `pagefind` PyPI package ships its binary) builds a chunked index: a browser loads
only the chunks of the words it searches for and the fragments of the results it shows, so what
one search downloads grows slowly with the site. The index is made of parts, one per year of
articles plus the campaigns', the pages' (general) and the honour-roll parts, each holding one
kind of record (see `search_index`: why, and how each part is built once per content); they are
written by finish steps into the staged output before it is published, under /pagefind/<part>/,
with /pagefind/parts.json listing them. The search page's script (static/js/search.js) loads the
first part and merges the others, searches each kind of record apart (Pagefind's filter "kind")
and shows the news first. What each record holds, how "đ" is handled, and the kinds, are in
`search_records`.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from generator import urls
from generator.diagnostics import Diagnostic
from generator.features import register
from generator.fingerprint import digest_text
from generator.incremental import FinishStep
from generator.parallel import worker_count
from generator.render_job import RenderJob
from generator.search_fresh import choose_fresh, describe, fresh_parts, is_fresh, save_base
from generator.os_failures import OS_PROBLEMS, os_failure, shown_path, site_cache
from generator.search_index import (BUNDLE_DIR, BundleCache, Item, PagefindMissing, SearchIndexError, member_row,
                                    pagefind_version, part_digest, part_head, part_key, split_group,
                                    write_parts_file)
from generator.search_records import (GENERAL, KIND_CAMPAIGN, KIND_NEWS, KIND_PAGE, KIND_ROLL, KINDS, Member,
                                      SearchRecord, category_names, member_record, model_members)
from generator.search_rolls import is_roll_page, page_records

if TYPE_CHECKING:
    from generator.search_fresh import Base
    from generator.views import Views

ROLLS_GROUP = "vinh-danh"     # the index part(s) of honour-roll entries, rolls and units


def search_view(views: "Views") -> dict:
    """View data of /tim-kiem/: the form, where the index lives, the result messages, and the
    kinds a reader may narrow the results to (search_records.KINDS, in the order shown)."""
    ui = views.ui
    title = ui.get("search_title", "Tìm kiếm")
    page = views.page_meta("search", urls.search(), title, ui.get("search_description", ""),
                           breadcrumb=[views.crumb(ui.get("home", "Trang chủ"), "/")])
    labels = filter_labels(ui)
    return {
        "page": page,
        "search": {
            "bundle": views.links.href(f"/{BUNDLE_DIR}/"),
            "base": views.config.base_path,
            "language": views.config.language,
            "kinds": [{"key": kind, "label": labels[kind]} for kind in KINDS],
        },
    }


def filter_labels(strings: dict[str, str]) -> dict[str, str]:
    """The name of each kind on the search page's filter buttons."""
    return {
        KIND_NEWS: strings.get("search_filter_news", "Tin tức"),
        KIND_CAMPAIGN: strings.get("search_filter_campaign", "Phong trào"),
        KIND_PAGE: strings.get("search_filter_page", "Giới thiệu"),
        KIND_ROLL: strings.get("search_filter_roll", "Vinh danh"),
    }


def result_labels(strings: dict[str, str]) -> dict[str, str]:
    """The kind shown in a result's meta line for what is not an article."""
    return {
        "page": strings.get("search_kind_page", "Giới thiệu"),
        "campaign": strings.get("search_kind_campaign", "Phong trào"),
        "roll": strings.get("search_kind_roll", "Vinh danh"),
        "unit": strings.get("search_kind_unit", "Đơn vị"),
    }


def built_records(folder: Path, language: str, labels: dict[str, str]) -> list[SearchRecord]:
    """Records from the built honour-roll and unit pages in the staged output folder: each
    entry, each roll and each unit (see search_rolls)."""
    records = []
    for roots in (urls.HONOUR_ROOT, urls.UNIT_ROOT):
        base = folder / roots
        if not base.is_dir():
            continue
        for file in sorted(base.rglob("index.html")):
            rel = file.relative_to(folder).as_posix()
            kind = is_roll_page(rel)
            if kind is None:
                continue
            url = "/" + rel.removesuffix("index.html")
            records.extend(page_records(url, kind, file.read_text(encoding="utf-8"), labels, language))
    return records


@dataclass
class SearchPlan:
    """The search index of one build: its parts' keys, the records of the parts the bundle cache
    lacked when it was planned (an empty list for the others), and the cache."""

    labels: dict[str, str]
    parts: dict[str, list[SearchRecord]]
    digests: dict[str, str]
    cache: BundleCache
    # Parts the cache lacked whose records are made only when a step needs them: `serve` runs the
    # steps after publishing the pages, so an edit's reload does not wait for its year's records.
    later: set[str] = field(default_factory=set)
    make: Callable[[list[Member]], list[SearchRecord]] | None = None
    members: dict[str, list[Member]] = field(default_factory=dict)     # every part's
    # Parts published as their base, with a fresh part beside them (search_fresh): part -> the
    # base's fragment ids whose records are stale (id -> URL).
    kept: frozenset[str] = frozenset()
    hidden: dict[str, dict[str, str]] = field(default_factory=dict)
    describe: Callable[..., "Base"] | None = None     # search_fresh.describe, bound to the plan's keys
    _making: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def records(self, part: str) -> list[SearchRecord]:
        with self._making:          # the record writer's thread asks too (see missing)
            if part in self.later:
                self.remake(part)
            return self.parts[part]

    def remake(self, part: str) -> list[SearchRecord]:
        """Make a part's records now (one planned for later, or whose cached bundle turned out damaged)."""
        if part in self.kept:
            # its members' records are not the base's: indexing them under the base's key would
            # publish them twice (here and in the fresh part). The next build indexes it whole.
            raise SearchIndexError(f"the cached index part {part} was damaged; build again")
        self.later.discard(part)
        self.parts[part] = self.make(self.members[part])
        return self.parts[part]

    def missing(self) -> dict[str, Callable[[], list[SearchRecord]]]:
        """digest -> what makes the records of each part to index, called by the bundle cache's
        record writer just before it writes them: one part's records exist at a time, not every
        part's (at 100,000 articles ~1 GB of record HTML). A part planned as cached has no
        records: should another build prune its bundle meanwhile, it must not be indexed empty
        (BundleCache.bundle then says to build again)."""
        return {self.digests[p]: partial(self.records, p) for p in list(self.parts) if p in self.later or self.parts[p]}

    def abandon(self) -> None:
        self.cache.close(cancel=True)


def ordered_parts(records: list[Item]) -> dict[str, list[Item]]:
    """The model's records (or members) by index part: newest year first (the search page's
    primary part), then the campaigns, then the general part (pages)."""
    groups: dict[str, list[Item]] = {}
    for record in records:
        groups.setdefault(record.group, []).append(record)
    parts: dict[str, list[Item]] = {}
    for group in sorted(groups, key=lambda g: (g == GENERAL, -int(g) if g.isdigit() else 0, g)):
        parts.update(split_group(group, groups[group]))
    return parts


def part_records(members: list[Member], names: dict[str, str], labels: dict[str, str],
                 language: str) -> list[SearchRecord]:
    return [member_record(m, names, labels, language) for m in members]


def index_failure(exc: Exception, staged: Path, cache: Path) -> list[Diagnostic]:
    """What a part that could not be indexed or installed means (`staged`: the staged output).

    Every failure is an error, and nothing is published: the last good site, whose search works,
    stays. The system refused a file (a full disk, a read-only folder: os_failures.os_failure), in
    the cache where Pagefind works or in the output: the message names that folder. How to
    install Pagefind is said only when it is missing."""
    failure = exc
    if isinstance(exc, SearchIndexError) and exc.errno in OS_PROBLEMS:     # Pagefind's "(os error 28)"
        failure = OSError(exc.errno, os.strerror(exc.errno))
    if isinstance(failure, OSError):
        problem = os_failure(failure, shown_path(staged), cache, default="cache")
        if problem is not None:
            return [problem.diagnostic()]
        where = f" ({shown_path(failure.filename)})" if failure.filename else ""
        return [Diagnostic(str(cache), None, "error", f"search index not built: {failure.strerror or failure}{where}",
                           "nothing was published: build again, and if this repeats send this line to the developers")]
    if isinstance(exc, PagefindMissing):
        return [Diagnostic(str(cache), None, "error", f"search index not built: {exc}",
                           'check that Pagefind is installed: pip install "pagefind[bin]"')]
    return [Diagnostic(str(cache), None, "error", f"search index not built: {exc}",
                       "nothing was published: build again, and if this repeats send this line to the developers")]


class SearchFeature:
    """Plugs search into the pipeline (see generator/features.py): one finish step per index part
    of the model's records, and one for the honour rolls' records and the list of parts."""

    name = "search"
    # What the rolls step reads in the output (built_records): the incremental writer gives it
    # these published files and nothing else it does not need (see incremental.finish_and_publish).
    finish_reads = (f"{urls.HONOUR_ROOT}/", f"{urls.UNIT_ROOT}/")

    def plan(self, views: "Views"):
        yield RenderJob(urls.search(), "search.html", search_view(views))

    def extend(self, model, docs, ctx) -> "SearchPlan":
        """The index parts of the model's documents, keyed by what their records are made from
        (search_index.part_key); records are made only for the parts the cache lacks (making
        them all took ~0.7 s at 10,000 articles, for the one year an edit changes). On a build
        that writes, Pagefind starts now on those parts, beside the planning and rendering of
        the pages."""
        config, language = model.config, model.config.language
        labels = result_labels(ctx.theme.strings if ctx.theme else {})
        names = category_names(config)
        # `check` writes nothing: no index to plan
        members = ordered_parts(model_members(model)) if ctx.options.write else {}
        sources = getattr(docs, "digests", None) or {}
        context = {"language": language, "names": names, "labels": labels, "base_path": config.base_path,
                   "timezone": config.tz.key}
        digests = {part: part_key(part, found, sources, **context) for part, found in members.items()}
        cache = BundleCache(ctx.site_dir / ".cache" / "search", language, worker_count(ctx.options.jobs))
        head, row = partial(part_head, **context), partial(member_row, sources=sources)
        kept, hidden = frozenset(), {}
        if ctx.options.write:
            chosen = choose_fresh(members, digests, cache.folder, cache.has, head, row)
            if chosen is not None:
                fresh, hidden = chosen
                kept = frozenset(fresh.bases)
                digests.update(fresh.bases)
                for name, found in fresh_parts(fresh.members).items():
                    members[name] = found
                    digests[name] = part_key(name, found, sources, **context)
            cache.touch(digests.values())
        # A part already in the cache needs only its key: an empty list stands for its records.
        make = partial(part_records, names=names, labels=labels, language=language)
        plan = SearchPlan(labels, {p: [] for p in members}, digests, cache,
                          {p for p in members if not cache.has(digests[p])}, make, members, kept, hidden,
                          partial(describe, head=head, row=row))
        if ctx.early_finish:
            cache.start(plan.missing())
        return plan

    def finish_steps(self, model, ctx, produced_digest) -> list[FinishStep]:
        plan: SearchPlan = model.extras[self.name]
        language, labels, parts, digests, cache = (model.config.language, plan.labels, plan.parts, plan.digests,
                                                   plan.cache)

        def run_part(folder: Path, part: str) -> list[Diagnostic]:
            # The first part run makes room in the cache and starts every part the cache lacks,
            # on all cores at once (pruning only now keeps its ~0.1 s per edit out of serve's reload).
            cache.prune(set(digests.values()))
            cache.start(plan.missing())
            try:
                cache.install_part(digests[part], plan.records(part), folder, part, partial(plan.remake, part))
            except (SearchIndexError, OSError) as exc:
                return index_failure(exc, folder, site_cache(ctx.site_dir))
            if part not in plan.kept and not is_fresh(part):
                remember_base(cache.folder, part, plan.describe(part, plan.members[part], digests[part]))
            return []

        def run_rolls(folder: Path) -> list[Diagnostic]:
            rolls = split_group(ROLLS_GROUP, built_records(folder, language, labels))
            problems: list[Diagnostic] = []
            try:
                rolled = {part: part_digest(records, language) for part, records in rolls.items()}
                cache.start({rolled[p]: rolls[p] for p in rolls})
                for part, records in rolls.items():
                    cache.install_part(rolled[part], records, folder, part, lambda records=records: records)
            except (SearchIndexError, OSError) as exc:
                problems.extend(index_failure(exc, folder, site_cache(ctx.site_dir)))
                if any(p.severity == "error" for p in problems):
                    return problems
            write_parts_file(folder, [*parts, *rolls], plan.hidden)
            return problems

        steps = [FinishStep(f"search:{part}", digest_text("search part", digest), partial(run_part, part=part),
                            reads=(), writes=f"{BUNDLE_DIR}/{part}/")
                 for part, digest in digests.items()]
        rolls_key = digest_text("search rolls", language, repr(sorted(labels.items())), pagefind_version(),
                                produced_digest(self.finish_reads), repr(sorted(plan.hidden.items())), *parts)
        steps.append(FinishStep("search:rolls", rolls_key, run_rolls, reads=self.finish_reads,
                                writes=f"{BUNDLE_DIR}/"))
        return steps


def remember_base(cache: Path, part: str, base: "Base") -> None:
    """Keep a part indexed whole as the base of the next builds' fresh parts. A base that cannot
    be written costs only speed: the next edit of the part indexes it whole."""
    try:
        save_base(cache, part, base)
    except OSError:
        pass


register(SearchFeature())
