"""`build_site`: the one-way pipeline, one call per stage.

config -> read sources -> validate -> site model -> page plan -> render -> atomic write
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import ConfigError, SiteConfig, load_config
from generator.diagnostics import ContentError, Diagnostic, Diagnostics
from generator.features import load_features
from generator.markdown_render import MarkdownRenderer
from generator.model import SiteModel, build_model
from generator.output import OutputFile, StagedOutput
from generator.readers.articles import read_article, read_page
from generator.readers.campaigns import read_campaign
from generator.render import render_jobs
from generator.routes import plan_pages
from generator.sources import discover, list_media
from generator.templates import compile_all, make_environment
from generator.themes import Theme, load_theme
from generator.validate import check_documents
from generator.views import Views


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None       # default: <site>/output
    drafts: bool = False
    base_url: str | None = None
    today: dt.date | None = None     # default: today in the site's time zone
    write: bool = True               # False for `check`
    jobs: int = 1


@dataclass
class Documents:
    articles: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)
    other: dict = field(default_factory=dict)     # kind -> documents read by features


@dataclass
class BuildContext:
    site_dir: Path
    config: SiteConfig
    options: BuildOptions
    today: dt.date
    media: dict[str, Path]
    theme: Theme | None = None


@dataclass
class BuildReport:
    diagnostics: list[Diagnostic]
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    output: Path | None = None

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


def build_site(site_dir: Path, options: BuildOptions = BuildOptions()) -> BuildReport:
    started = time.perf_counter()
    site_dir = site_dir.resolve()
    diags = Diagnostics()
    features = load_features()

    try:
        config, config_diags = load_config(site_dir, options.base_url)
        diags.extend(config_diags.items)
    except ConfigError as exc:
        return BuildReport(exc.diagnostics.sorted())
    ctx = BuildContext(site_dir, config, options, options.today or dt.datetime.now(config.tz).date(),
                       list_media(site_dir))
    try:
        ctx.theme = load_theme(config.theme, site_dir, config.language)
    except ContentError as exc:
        diags.extend([exc.diagnostic])

    docs = read_documents(site_dir, ctx, features, diags)
    diags.extend(check_documents(docs.articles, docs.pages, docs.campaigns, config, set(ctx.media),
                                 ctx.today, options.drafts))
    for feature in features:
        if hasattr(feature, "check"):
            diags.extend(feature.check(docs, ctx))

    env = None
    if ctx.theme is not None:
        env = make_environment(ctx.theme, {})
        diags.extend(compile_all(env, ctx.theme, site_dir))
    if diags.has_errors or env is None:
        return BuildReport(diags.sorted(), seconds=time.perf_counter() - started)

    model = assemble_model(docs, ctx, features)
    views = Views(model, ctx.theme.strings)
    jobs = plan_pages(views, [f.plan for f in features if hasattr(f, "plan")])
    env.globals.update({"site": views.site(), "ui": ctx.theme.strings,
                        "asset": lambda path: views.links.href("/static/" + path)})
    files, render_diags = render_jobs(env, jobs, site_dir)
    diags.extend(render_diags)
    for feature in features:
        if hasattr(feature, "files"):
            files.extend(feature.files(views))
    if diags.has_errors:
        return BuildReport(diags.sorted(), seconds=time.perf_counter() - started)
    if not options.write:
        return BuildReport(diags.sorted(), pages=len(jobs), files=len(files),
                           seconds=time.perf_counter() - started)

    output = (options.output or site_dir / "output").resolve()
    diags.extend(write_output(output, files, ctx, model, features))
    return BuildReport(diags.sorted(), pages=len(jobs), files=len(files),
                       seconds=time.perf_counter() - started, output=output)


def read_documents(site_dir: Path, ctx: BuildContext, features, diags: Diagnostics) -> Documents:
    """Parse every source file; each file's problems are collected, none stops the others."""
    markdown = MarkdownRenderer(ctx.config.base_path)
    owned = {kind: f for f in features for kind in getattr(f, "kinds", ())}
    docs = Documents()
    for source in discover(site_dir):
        if source.kind == "article":
            doc, problems = read_article(source, ctx.config.tz, markdown)
            target = docs.articles
        elif source.kind == "page":
            doc, problems = read_page(source, markdown)
            target = docs.pages
        elif source.kind == "campaign":
            doc, problems = read_campaign(source, markdown)
            target = docs.campaigns
        elif source.kind in owned:
            doc, problems = owned[source.kind].read(source, ctx)
            target = docs.other.setdefault(source.kind, [])
        else:
            continue
        diags.extend(problems)
        if doc is not None:
            target.append(doc)
    return docs


def assemble_model(docs: Documents, ctx: BuildContext, features) -> SiteModel:
    model = build_model(docs.articles, docs.pages, docs.campaigns, ctx.config, ctx.today,
                        ctx.options.drafts, ctx.media)
    for feature in features:
        if hasattr(feature, "extend"):
            model.extras[feature.name] = feature.extend(model, docs, ctx)
    return model


def write_output(output: Path, files: list[OutputFile], ctx: BuildContext, model: SiteModel, features) -> list[Diagnostic]:
    """Stage every file, let features finish (search index), then swap the folder in."""
    staged = StagedOutput(output)
    try:
        for file in files:
            staged.write(file)
        for folder in ctx.theme.static_dirs:
            staged.copy_tree(folder, "static")
        for url, path in ctx.media.items():
            staged.copy_file(path, url.lstrip("/"))
        problems: list[Diagnostic] = []
        for feature in features:
            if hasattr(feature, "finish"):
                problems.extend(feature.finish(staged.folder, model, ctx))
        if any(p.severity == "error" for p in problems):
            staged.discard()
            return problems
        staged.publish()
        return problems
    except BaseException:
        staged.discard()
        raise
