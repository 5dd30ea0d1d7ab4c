"""The page plan: one `*_jobs` function per kind of page, each a pure function of the views."""
from __future__ import annotations

from typing import Callable, Iterable

from generator import urls
from generator.model_reads import ViewCall
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
                        ViewCall(views, "article", (article.key,)))


def _paged(views: Views, kind: str, key: str, path_of, count: int):
    pages = max(1, -(-count // views.config.per_page))
    for number in range(1, pages + 1):
        yield RenderJob(path_of(number), "list.html", ViewCall(views, "listing", (kind, key, number)))


def category_jobs(views: Views) -> Iterable[RenderJob]:
    model = views.reads.model          # planning, not a page view: nothing to record
    for category in views.config.categories:
        yield from _paged(views, "category", category.key, lambda n, k=category.key: urls.category(k, n),
                          len(model.by_category.get(category.key, ())))


def taxonomy_jobs(views: Views) -> Iterable[RenderJob]:
    model = views.reads.model
    kinds = (("tag", model.tags, urls.tag), ("author", model.authors, urls.author),
             ("series", model.series, urls.series))
    for kind, taxa, url_of in kinds:
        for slug, taxon in taxa.items():
            yield from _paged(views, kind, slug, lambda n, name=taxon.name, f=url_of: f(name, n),
                              len(taxon.articles))


def page_jobs(views: Views) -> Iterable[RenderJob]:
    for page in views.model.pages:
        yield RenderJob(urls.page(page.slug), "page.html", views.page(page))


def not_found_jobs(views: Views) -> Iterable[RenderJob]:
    yield RenderJob("/404.html", "404.html", views.not_found())
