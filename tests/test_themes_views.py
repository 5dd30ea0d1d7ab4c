"""The documented template surface (generator/view_types.py, docs/themes.md) is the real one."""
from dataclasses import replace

import pytest

from conftest import SITES, TODAY
from generator import view_types as vt
from generator.config import load_config
from generator.diagnostics import Diagnostics
from generator.features import load_features
from generator.image_variants import survey_images
from generator.pipeline import BuildContext, BuildOptions, assemble_model, read_documents
from generator.sources import list_media
from generator.themes import load_theme
from generator.views import Views

HINT = "a view changed: update generator/view_types.py and docs/themes.md"


def keys(typed) -> set[str]:
    return set(typed.__required_keys__) | set(typed.__optional_keys__)


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    import shutil

    site = tmp_path_factory.mktemp("views") / "site"
    shutil.copytree(SITES / "themes", site)
    config, _ = load_config(site)
    ctx = BuildContext(site, config, BuildOptions(today=TODAY), TODAY, list_media(site))
    ctx.theme = load_theme("tinh", site, "vi")
    features = load_features()
    docs = read_documents(site, ctx, features, Diagnostics())
    catalog, problems = survey_images(site, ctx.media)
    assert not problems
    return Views(assemble_model(docs, ctx, features), ctx.theme.strings, catalog), ctx


def test_site_and_branding_views(views):
    v, _ = views
    site = v.site()
    assert set(site) == keys(vt.SiteView), HINT
    assert set(site["branding"]) == keys(vt.BrandingView), HINT
    assert set(site["menu"][0]) == keys(vt.Link)
    assert set(site["branding"]["member_links"][0]) == keys(vt.Link)


def test_card_image_and_page_views(views):
    v, _ = views
    card = v.card(v.model.articles[0])
    assert set(card) == keys(vt.Card), HINT
    assert set(card["image"]) == keys(vt.ImageView), HINT
    assert set(card["category"]) == keys(vt.CategoryRef), HINT
    home = v.home()
    assert set(home) == keys(vt.HomeContext), HINT
    assert set(home["page"]) == keys(vt.PageMeta), HINT


def test_article_listing_page_and_404_contexts(views):
    v, _ = views
    article = v.article(v.model.articles[0].key)
    assert set(article) == keys(vt.ArticleContext), HINT
    assert set(article["article"]) == keys(vt.ArticleView), HINT
    one_per_page = replace(v.model, config=replace(v.model.config, per_page=1))   # so the list has pages
    listing = Views(one_per_page, v.ui, v.images).listing("category", "thoi-su", 1)
    assert set(listing) == keys(vt.ListingContext) and set(listing["listing"]) == keys(vt.Listing), HINT
    assert set(listing["listing"]["pagination"]) == keys(vt.Pagination), HINT
    assert set(v.page(v.model.pages[0])) == keys(vt.PageContext), HINT
    assert set(v.not_found()) == keys(vt.NotFoundContext), HINT


def test_theme_view(views):
    v, ctx = views
    theme = ctx.theme.view(v.links.href)
    assert set(theme) == keys(vt.ThemeView), HINT
    assert theme["chain"] == ["tinh", "congdoan"] and theme["stylesheets"] == ["/static/css/tinh.css"]
