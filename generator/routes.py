"""The page plan: one `*_jobs` function per kind of page, each a pure function of the views."""
from __future__ import annotations

from functools import partial
from typing import Callable, Iterable

from generator import urls
from generator.render_job import RenderJob
from generator.views import Views


# Feature modules (campaigns, honours, feeds…) add their own planners here, in order.
PlanFn = Callable[[Views], Iterable[RenderJob]]


def plan_pages(views: Views, extra_planners: Iterable[PlanFn] = ()) -> list[RenderJob]:
    planners: list[PlanFn] = [home_jobs, article_jobs, category_jobs, taxonomy_jobs, page_jobs,
                              not_found_jobs, *extra_planners]
    return [job for planner in planners for job in planner(views)]


def home_jobs(views: Views) -> Iterable[RenderJob]:
    yield RenderJob("/", "home.html", views.home())


def article_jobs(views: Views) -> Iterable[RenderJob]:
    for article in views.model.articles:
        yield RenderJob(urls.article(article, views.config.permalinks.article), "article.html",
                        partial(views.article, article))


def _paged(views: Views, kind: str, path_of, title: str, articles, description: str = "", crumbs=None):
    pages = max(1, -(-len(articles) // views.config.per_page))
    for number in range(1, pages + 1):
        yield RenderJob(path_of(number), "list.html",
                        partial(views.listing, kind, path_of, title, articles, number, description, crumbs))


def category_jobs(views: Views) -> Iterable[RenderJob]:
    for category in views.config.categories:
        articles = views.model.by_category.get(category.key, ())
        crumbs = []
        if category.parent:
            parent = views.config.category(category.parent)
            crumbs.append(views.crumb(parent.name, urls.category(parent.key)))
        yield from _paged(views, "category", lambda n, k=category.key: urls.category(k, n),
                          category.name, articles, category.description, crumbs)


def taxonomy_jobs(views: Views) -> Iterable[RenderJob]:
    kinds = (("tag", views.model.tags, urls.tag), ("author", views.model.authors, urls.author),
             ("series", views.model.series, urls.series))
    for kind, taxa, url_of in kinds:
        for taxon in taxa.values():
            yield from _paged(views, kind, lambda n, name=taxon.name, f=url_of: f(name, n),
                              views.taxon_title(kind, taxon), taxon.articles)


def page_jobs(views: Views) -> Iterable[RenderJob]:
    for page in views.model.pages:
        yield RenderJob(urls.page(page.slug), "page.html", views.page(page))


def not_found_jobs(views: Views) -> Iterable[RenderJob]:
    yield RenderJob("/404.html", "404.html", views.not_found())
