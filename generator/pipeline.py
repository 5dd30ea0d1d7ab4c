"""`build_site`: the one-way pipeline, one call per stage.

config -> read sources -> validate -> site model -> page plan -> render -> atomic write
"""
from __future__ import annotations

import datetime as dt
import gc
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from generator import urls
from generator.branding import check_branding_files
from generator.config import ConfigError, SiteConfig, load_config
from generator.diagnostics import ContentError, Diagnostic, Diagnostics, working_on
from generator.features import load_features
from generator.image_variants import ImageReport, produce_variants, survey_images, variant_files
from generator.images import ImageCatalog, PictureRewriter
from generator.edits import carried_link_warnings, find_body_edit, model_key, plan_key, remember_plan
from generator.linkcheck import check_site_links
from generator.cache import cache_folder, code_version, release_free_memory
from generator.fingerprint import Fingerprinter, digest_text, globals_digest, render_digest
from generator.incremental import FinishStep, OutputSession, entries_digest, finish_key
from generator.addresses import ADDRESSES, addresses, check_aliases, moved_addresses, moved_map
from generator.model import SiteModel, build_model, with_new_bodies
from generator.model_reads import ModelReads, ViewCall, view_setting
from generator.os_failures import FolderError, os_failure, site_cache
from generator.output import OutputFile, static_files
from generator.page_pass import render_plan
from generator.page_records import PageRecords
from generator.parallel import worker_count
from generator.progress import Progress
from generator.publication import published_generation
from generator.reading import READER_KINDS, read_sources
from generator.fragments import prepare
from generator.recorded import GlobalView
from generator.render_job import RenderJob
from generator.routes import plan_pages
from generator.stamps import inputs_stamp
from generator.state import BuildState, forget_documents, now_ns
from generator.stored_text import DamagedCache
from generator.sitemap import site_files
from generator.sources import list_media
from generator.templates import compile_all, load_compiled, make_environment, save_compiled, warm_compiled
from generator.themes import BUNDLED_THEMES, Theme, load_theme
from generator.validate import check_documents
from generator.views import Views

# Documents parsed in a build above which the memory of the parsed ones (swapped for their stored
# copies by the document cache) is handed back to the system (cache.release_free_memory).
RELEASE_AFTER_PARSING = 1000


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None       # default: <site>/output
    drafts: bool = False
    base_url: str | None = None
    today: dt.date | None = None     # default: today in the site's time zone
    write: bool = True               # False for `check`
    jobs: int = 1
    theme: str | None = None         # overrides site.yaml's `theme:` (--theme)


@dataclass
class Documents:
    articles: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)
    other: dict = field(default_factory=dict)     # kind -> documents read by features
    digests: dict = field(default_factory=dict)   # source path -> sha256 of its bytes (cache keys downstream)
    _article_digests: dict | None = field(default=None, repr=False)

    def article_digests(self) -> dict[str, str]:
        """Article path -> sha256 of its source, what edits.py compares between builds; made
        once, when the documents are complete."""
        if self._article_digests is None:
            self._article_digests = {a.path: self.digests.get(a.path, "") for a in self.articles}
        return self._article_digests


@dataclass
class BuildContext:
    site_dir: Path
    config: SiteConfig
    options: BuildOptions
    today: dt.date
    media: dict[str, Path]
    theme: Theme | None = None
    images: ImageCatalog = field(default_factory=ImageCatalog)
    # Finish steps may start work early, beside the rendering (the search index): not when the
    # build only checks, nor when `serve` runs them after publishing the pages.
    early_finish: bool = False


@dataclass
class BuildReport:
    diagnostics: list[Diagnostic]
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    output: Path | None = None
    images: ImageReport | None = None
    unchanged: int = 0       # pages neither rendered nor written: their fingerprint did not change
    spliced: int = 0         # pages whose only change was in fragments, put in without rendering (splice.py)
    changed: tuple[str, ...] = ()   # output paths this build wrote or deleted (for reloading only those)
    deferred: Callable[..., list[Diagnostic]] | None = None  # finish steps left for later (serve): run it
    moved: dict[str, str] = field(default_factory=dict)   # old site path -> new, of documents that moved

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


def build_site(site_dir: Path, options: BuildOptions = BuildOptions(), state: BuildState | None = None,
               progress: Progress | None = None) -> BuildReport:
    """Build a site; `state` (kept by `serve`) holds caches warm between builds."""
    for attempt in (1, 2):
        try:
            if state is None:
                return _build_site(site_dir, options, None, progress)
            with state.lock:          # a deferred finish step (state.finish_later) never publishes mid-build
                state.generation += 1
                return _build_site(site_dir, options, state, progress)
        except DamagedCache:
            if attempt == 2:
                raise
            # A cached body did not match its digest (edited by hand, a disk fault): nothing was
            # published; build again with the documents parsed anew.
            forget_documents(site_dir, state)
        except (OSError, FolderError) as exc:
            # A full disk, a read-only folder...: said about the output or cache folder (output.py).
            # Nothing was published; a write that names no file, outside the output stage, was the cache's.
            problem = exc if isinstance(exc, FolderError) else os_failure(
                exc, (options.output or site_dir / "output").resolve(), site_cache(site_dir.resolve()), "cache")
            if problem is None:
                raise
            return BuildReport([problem.diagnostic()])
        finally:
            gc.unfreeze()             # what the build froze (see _build_site) can be collected again


def _build_site(site_dir: Path, options: BuildOptions, state: BuildState | None,
                progress: Progress | None) -> BuildReport:
    started, started_ns = time.perf_counter(), now_ns()
    site_dir = site_dir.resolve()
    diags = Diagnostics()
    features = load_features()

    try:
        with working_on("site.yaml"):
            config, config_diags = load_config(site_dir, options.base_url)
        diags.extend(config_diags.items)
    except ConfigError as exc:
        return BuildReport(exc.diagnostics.sorted())
    ctx = BuildContext(site_dir, config, options, options.today or dt.datetime.now(config.tz).date(),
                       list_media(site_dir))
    output = (options.output or site_dir / "output").resolve()
    state = state or BuildState(site_dir, keep_sources=False)    # a one-shot build: nothing to keep warm
    ctx.early_finish = options.write and not state.defer_finish
    state.started_ns = started_ns
    progress = progress or Progress(enabled=False)
    stamp, walked = None, None
    # Nothing changed since the last build into this folder: stop here. (Unless serve's watcher
    # has just reported a change: then the stamp, a stat of every input, would only differ.)
    if options.write and not state.touched:
        walked = {}
        stamp = inputs_stamp([site_dir / "site.yaml", site_dir / "content", site_dir / "themes", BUNDLED_THEMES],
                             (code_version(), str(output), options.drafts, options.base_url, options.theme,
                              ctx.today.isoformat()), state.settled_before_ns(), walked)
        manifest = state.manifest(output)
        if (stamp and manifest and manifest.inputs_key == stamp and manifest.generation is not None
                and manifest.generation == published_generation(output) and not manifest.damaged(output)):
            pages = sum(1 for e in manifest.entries.values() if e.origin == "page")
            files = sum(1 for e in manifest.entries.values() if e.origin == "file")
            images = manifest.summary.get("image_sources", 0)
            return BuildReport(list(state.last_diagnostics.get(str(output), [])), pages=pages, files=files,
                               seconds=time.perf_counter() - started, output=output, unchanged=pages,
                               images=ImageReport(sources=images, reused=images))
    state.walked = walked             # this build's own stats only, dropped once discover used them
    try:
        ctx.theme = load_theme(options.theme or config.theme, site_dir, config.language,
                               None if options.theme else config.lines.line("theme"))
    except ContentError as exc:
        diags.extend([exc.diagnostic])
    if ctx.theme is not None:
        diags.extend(ctx.theme.warnings)
        diags.extend(ctx.theme.outside_links(site_dir))

    docs = read_documents(site_dir, ctx, features, diags, state, progress)
    # Documents, and below the page plan, live until the build ends: freezing them spares the cycle
    # collector from scanning millions of objects again and again (~20 % of a 10,000-article build),
    # and forked workers from copying the pages it would touch.
    gc.freeze()
    diags.extend(state.outside_links(site_dir))
    diags.extend(check_documents(docs.articles, docs.pages, docs.campaigns, config, set(ctx.media),
                                 ctx.today, options.drafts))
    for feature in features:
        if hasattr(feature, "check"):
            diags.extend(feature.check(docs, ctx))

    diags.extend(check_branding_files(config.branding, set(ctx.media), config.lines))
    ctx.images, image_problems = survey_images(site_dir, ctx.media)
    diags.extend(image_problems)

    env = None
    if ctx.theme is not None:
        load_compiled(cache_folder(site_dir))
        env = make_environment(ctx.theme, config.language)
        diags.extend(compile_all(env, ctx.theme, site_dir))
    if diags.has_errors or env is None:
        return BuildReport(diags.sorted(), seconds=time.perf_counter() - started)
    # Variants are made once the sources are known to be good (a damaged file shows only now).
    image_report, variant_problems = produce_variants(ctx.images, site_dir, options.jobs)
    diags.extend(variant_problems)
    if diags.has_errors:
        return BuildReport(diags.sorted(), seconds=time.perf_counter() - started, images=image_report)

    inputs = model_key(docs, ctx)
    model = assemble_model(docs, ctx, features, state, inputs)
    gc.freeze()
    # the filters write numbers in the site's language (templates.make_environment)
    page_shared = render_digest(ctx.theme.folders, ctx.images, config.language) if options.write else None
    setting = view_setting(page_shared, ctx.config, ctx.today, ctx.theme.strings)
    whole = digest_text(state.inputs_digest, repr(sorted(ctx.media.items())))
    views = Views(model, ctx.theme.strings, ctx.images, ModelReads(model, docs.digests, setting, whole))
    # Pages record which entries of the globals they read (recorded.py); fragments (cards,
    # sidebar, footer) are rendered once per distinct set of recorded inputs.
    env.globals.update({"site": GlobalView("site", views.site()), "ui": GlobalView("ui", ctx.theme.strings),
                        "asset": lambda path: views.links.href("/static/" + path),
                        "theme": GlobalView("theme", ctx.theme.view(views.links.href))})
    prepare(env)
    # Only pages whose inputs changed since the last build into `output` are rendered (page_pass.py).
    previous = state.manifest(output) if options.write else None
    session = OutputSession(output if options.write else None, previous, checked=state.trusts(output, previous),
                            records=PageRecords(cache_folder(site_dir), str(output)) if options.write else None)
    try:
        shared = globals_digest(env.globals, page_shared) if options.write else None
        key = plan_key(shared, inputs, [rel for folder in ctx.theme.static_dirs for _, rel in static_files(folder)])
        # Only article bodies changed: only their pages are planned (edits.py).
        edit = find_body_edit(session.previous, session.damaged, key, docs, set(model.by_key),
                              config.permalinks.article)
        if edit is not None:
            jobs = [RenderJob(urls.article(a, config.permalinks.article), "article.html",
                              ViewCall(views, "article", (a.key,))) for a in edit.articles]
            session.carry_over(edit.kept)
        else:
            jobs = plan_pages(views, [f.plan for f in features if hasattr(f, "plan")])
        lastmods = render_plan(session, env, jobs, views.reads, Fingerprinter(page_shared), site_dir,
                                     PictureRewriter(ctx.images, views.links.href).rewrite,
                                     worker_count(options.jobs), progress.stage("Dựng trang", len(jobs)), diags)
        files: list[OutputFile] = []
        for feature in features:
            if hasattr(feature, "files"):
                files.extend(feature.files(views))
        published, moved = addresses(model), {}
        if edit is None:
            before = session.previous.summary.get(ADDRESSES) if session.previous else None
            diags.extend(moved_addresses(before, published, model))
            moved = moved_map(before, published)
            page_urls = [job.url for job in jobs]
            files.extend(site_files(page_urls, lastmods, views))      # sitemap.xml and robots.txt
            file_paths = [f.path for f in files]
            diags.extend(check_aliases(model, {urls.output_path(url) for url in page_urls}, file_paths))
            link_problems = check_site_links(docs, page_urls, file_paths, ctx)
        else:                                          # the sitemap shows surfaces only: kept
            session.drop_carried([f.path for f in files])
            page_urls = urls.PageURLs({urls.output_path(job.url) for job in jobs}
                                      | {p for p, e in edit.kept.items() if e.origin == "page"})
            file_paths = [f.path for f in files] + [p for p, e in session.entries.items() if e.origin == "file"]
            link_problems = carried_link_warnings(edit) + check_site_links(docs, page_urls, file_paths, ctx,
                                                                           only=edit.changed)
        diags.extend(link_problems)
        if diags.has_errors or not options.write:
            session.discard()
            abandon_early_work(model)
            return BuildReport(diags.sorted(), pages=session.pages if not diags.has_errors else 0,
                               files=len(file_paths) if not diags.has_errors else 0,
                               seconds=time.perf_counter() - started, images=image_report)
        diags.extend(write_output(session, files, ctx, model, features, state.inputs_digest, state.defer_finish))
    except BaseException as exc:
        session.discard()
        abandon_early_work(model)
        if options.write:
            try:
                state.forget(output)     # the folder may be half-published: the next build writes it whole
            except OSError:              # a cache that cannot be written: the failure itself says so
                pass
        problem = os_failure(exc, output, site_cache(site_dir), "output") if options.write else None
        if problem is not None:      # a page written on a full disk names no file: it was the output's
            raise problem from exc
        raise
    try:
        if state.defer_finish and not state.templates_warm:     # serve: for the first edit (templates.py)
            warm_compiled(env)
            state.templates_warm = True
        if options.write and not diags.has_errors:
            try:
                save_compiled(cache_folder(site_dir))
            except OSError:
                pass                 # a cache that cannot be written costs the next build ~0.1 s, nothing else
        deferred = None
        if not diags.has_errors:
            session.save_records()
            manifest = session.manifest(None if session.deferred else stamp)
            manifest.summary["image_sources"] = image_report.sources if image_report else 0
            manifest.summary[ADDRESSES] = published
            remember_plan(manifest.summary, key, docs, link_problems)
            try:
                state.remember(output, manifest, [d for d in diags.sorted() if d.severity != "error"])
            except OSError as exc:       # published; only the record of it for the next build is lost
                problem = os_failure(exc, output, site_cache(site_dir), "cache")
                if problem is None:
                    raise
                diags.extend([replace(problem.diagnostic("warning"), message=problem.message + " (the site was "
                                      "published; the next build writes it whole)")])
                try:
                    state.forget(output)
                except OSError:
                    pass
            if session.deferred:
                deferred = lambda wait=False, steps=session.deferred: state.finish_later(output, steps, stamp, wait)  # noqa: E731
    finally:
        session.close()      # the manifest is recorded: another build may publish
    return BuildReport(diags.sorted(), pages=session.pages, files=len(file_paths),
                       seconds=time.perf_counter() - started, output=output, images=image_report,
                       unchanged=session.unchanged, spliced=session.spliced, changed=tuple(session.changed),
                       deferred=deferred,
                       moved=moved)


def read_documents(site_dir: Path, ctx: BuildContext, features, diags: Diagnostics,
                   state: BuildState | None = None, progress: Progress | None = None) -> Documents:
    """Parse every source file; each file's problems are collected, none stops the others.

    Articles, pages and campaigns come from the document cache when their bytes are unchanged,
    and are parsed on every core otherwise (see reading.py)."""
    owned = {kind: f for f in features for kind in getattr(f, "kinds", ())}
    docs = Documents()
    state = state or BuildState(site_dir, persist=False)
    sources = state.discover(site_dir)
    state.walked = None
    state.prune_sources({source.path for source in sources})
    cache = state.document_cache(ctx.config.base_path, ctx.config.tz.key)
    advance = progress.stage("Đọc bài", len(sources)) if progress else None
    parsed = read_sources(sources, ctx.config.tz, ctx.config.base_path, cache, worker_count(ctx.options.jobs), advance)
    state.save_documents()
    state.inputs_digest = digest_text(code_version(), repr(ctx.config), ctx.today.isoformat(), repr(ctx.options),
                                      *(f"{s.kind}:{s.path}:{s.digest}" for s in sources))
    docs.digests = {source.path: source.digest for source in sources}
    targets = {"article": docs.articles, "page": docs.pages, "campaign": docs.campaigns}
    for source in sources:
        if source.kind in READER_KINDS:           # read above (each read is tagged in reading.py)
            # as the cache now holds it: its body in a pack, not in memory (stored_text.py)
            doc, problems = cache.stored(source) or parsed[source.path]
            target = targets[source.kind]
        elif source.kind in owned:
            with working_on(source.path):
                doc, problems = owned[source.kind].read(source, ctx)
            target = docs.other.setdefault(source.kind, [])
        else:
            continue
        diags.extend(problems)
        if doc is not None:
            target.append(doc)
    if cache.misses > RELEASE_AFTER_PARSING:
        parsed = doc = problems = None   # the parsed documents: their stored copies live on
        release_free_memory()
    return docs


def abandon_early_work(model: SiteModel) -> None:
    """A failed build need not finish what features started early (Pagefind on index parts)."""
    for value in model.extras.values():
        if hasattr(value, "abandon"):
            value.abandon()


def assemble_model(docs: Documents, ctx: BuildContext, features, state: BuildState | None = None,
                   inputs: str | None = None) -> SiteModel:
    """The site model and the features' extras. `serve` keeps the last model (without extras) in
    `state`: when only article bodies changed since (the same `inputs`, edits.model_key), the
    new bodies are swapped into it instead of building it again."""
    memo = state.model_memo if state is not None else None
    if inputs is not None and memo is not None and memo[0] == inputs:
        before = memo[2]
        fresh = {a.key: a for a in docs.articles if before.get(a.path) != docs.digests.get(a.path)}
        model = with_new_bodies(memo[1], fresh, docs.pages)
    else:
        model = build_model(docs.articles, docs.pages, docs.campaigns, ctx.config, ctx.today,
                            ctx.options.drafts, ctx.media)
    if state is not None and state.keep_sources:
        state.model_memo = (inputs, replace(model, extras={}), docs.article_digests()) if inputs else None
    for feature in features:
        if hasattr(feature, "extend"):
            model.extras[feature.name] = feature.extend(model, docs, ctx)
    return model


def write_output(session: OutputSession, files: list[OutputFile], ctx: BuildContext, model: SiteModel, features,
                 inputs_digest: str, defer: bool = False) -> list[Diagnostic]:
    """Stage the changed files, let features finish (search index) when their inputs changed,
    then publish (see output.py: nothing changes in the folder unless this succeeds)."""
    session.stage_files(files)
    copies = [(file, "static/" + rel) for folder in ctx.theme.static_dirs for file, rel in static_files(folder)]
    copies += [(path, url.lstrip("/")) for url, path in ctx.media.items()]
    copies += list(variant_files(ctx.images, ctx.site_dir))
    session.stage_copies(copies)
    steps: list[FinishStep] = []
    for feature in features:
        if hasattr(feature, "finish_steps"):
            steps.extend(feature.finish_steps(model, ctx, lambda under: entries_digest(session, under)))
        elif hasattr(feature, "finish"):
            produced = entries_digest(session)
            steps.append(FinishStep(feature.name, finish_key(feature, inputs_digest, produced, model, ctx),
                                    lambda folder, f=feature: f.finish(folder, model, ctx),
                                    getattr(feature, "finish_reads", None)))
    return session.finish_and_publish(steps, defer)
