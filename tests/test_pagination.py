"""List pagination: the view holds only the links a reader sees (not every page of the list, which
would grow with the square of its length), and the theme shows them as before."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from generator.config import load_config
from generator.model import build_model
from generator.templates import make_environment
from generator.themes import load_theme
from generator.views import Views


@pytest.fixture(scope="module")
def views() -> Views:
    config, _ = load_config(ROOT)
    return Views(build_model([], [], [], config, None, False), {})


@pytest.fixture(scope="module")
def template():
    theme = load_theme("congdoan", ROOT, "vi")
    return make_environment(theme).get_template("_pagination.html"), theme.strings


def expected(current: int, total: int) -> list[str]:
    """What readers saw before the view was windowed: the first and last page, two either side of
    the current one, and "…" for the page just outside that window."""
    shown = []
    for n in range(1, total + 1):
        if n in (1, total) or abs(n - current) <= 2:
            shown.append(str(n))
        elif abs(n - current) == 3:
            shown.append("…")
    return shown


@pytest.mark.parametrize("total", [2, 3, 6, 7, 8, 12, 500])
def test_the_links_shown_are_the_first_last_and_window(views, template, total):
    render, ui = template
    for current in sorted({1, 2, 3, 4, 5, total // 2, total - 3, total - 1, total} & set(range(1, total + 1))):
        pagination = views.pagination(lambda n: "/c/" if n == 1 else f"/c/trang-{n}/", current, total)
        assert len(pagination["pages"]) <= 9            # never grows with the list
        html = BeautifulSoup(render.render(pagination=pagination, ui=ui), "html.parser")
        items = [li.get_text(strip=True) for li in html.select("ul li") if not li.find("a", rel=True)]
        assert items == expected(current, total), (current, total)
        here = html.select_one("a[aria-current=page]")
        assert here.get_text() == str(current)
        assert here["href"] == ("/c/" if current == 1 else f"/c/trang-{current}/")


def test_honour_rolls_still_get_every_page(views):
    pagination = views.pagination(lambda n: f"/r/{n}/", 4, 30, window=None)
    assert [p["number"] for p in pagination["pages"]] == list(range(1, 31))
