"""Model reads recorded per page view: a page whose view would be made from the same answers keeps
its page key without its view data being made, and every page is still the bytes of a clean build."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build
from generator import page_pass
from generator.views import Views
from published import clean_build, published
from test_recorded import NEW_ARTICLE

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = """---
title: {title}
date: 2026-{month:02d}-{day:02d} 08:00
category: {category}
---
Bài số {n} về hoạt động công đoàn cơ sở.
"""


def write_articles(site, count: int = 16) -> list[str]:
    """Articles alternating between two categories, one a month-day apart, oldest first; returns
    their keys by age (the last the newest)."""
    keys = []
    for n in range(count):
        category = "thoi-su" if n % 2 else "nu-cong"
        slug = f"bai-so-{n}"
        text = ARTICLE.format(title=f"Bài số {n}", month=5 + n // 28, day=1 + n % 28, category=category, n=n)
        (site / "content" / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")
        keys.append(f"{category}/{slug}")
    return keys


@pytest.fixture
def counted_views(monkeypatch):
    """Which article and list views were made, by the keys they were made for."""
    made: list[tuple] = []
    article, listing = Views.article, Views.listing

    def counted_article(self, key):
        made.append(("article", key))
        return article(self, key)

    def counted_listing(self, kind, key, number):
        made.append(("listing", kind, key, number))
        return listing(self, kind, key, number)

    monkeypatch.setattr(Views, "article", counted_article)
    monkeypatch.setattr(Views, "listing", counted_listing)
    return made


def test_a_new_article_makes_only_the_views_whose_answers_changed(copy_site, tmp_path, counted_views):
    site = copy_site("editorial")
    keys = write_articles(site)
    out = tmp_path / "out"
    assert build(site, out).ok
    counted_views.clear()
    (site / "content" / "articles" / "tu-sach.md").write_text(NEW_ARTICLE, encoding="utf-8")
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    made = {call[1] for call in counted_views if call[0] == "article"}
    assert "thoi-su/cong-doan-ra-mat-tu-sach-nguoi-lao-dong" in made
    # every "Thời sự" article shows the category's newest ("Cùng chuyên mục"): made again
    assert {k for k in keys if k.startswith("thoi-su/")} <= made
    # the newest "Nữ công" one has the new article among its "newer" three; older ones nothing new
    nu_cong = [k for k in keys if k.startswith("nu-cong/")]
    assert nu_cong[-1] in made
    assert not made & set(nu_cong[:-2]), made & set(nu_cong[:-2])
    # "Nữ công"'s list did not change; "Thời sự"'s did
    lists = {call[1:] for call in counted_views if call[0] == "listing"}
    assert ("category", "thoi-su", 1) in lists and ("category", "nu-cong", 1) not in lists
    assert published(out) == clean_build(site, tmp_path / "clean")


def test_an_edit_that_changes_an_answer_makes_the_views_that_asked(copy_site, tmp_path, counted_views):
    site = copy_site("editorial")
    keys = write_articles(site)
    out = tmp_path / "out"
    assert build(site, out).ok
    oldest = site / "content" / "articles" / "bai-so-0.md"
    oldest.write_text(oldest.read_text("utf-8").replace("Bài số 0", "Bài số không"), encoding="utf-8")
    counted_views.clear()
    assert build(site, out).ok
    made = {call[1] for call in counted_views if call[0] == "article"}
    # its own page (its slug follows its title), and those showing it among their "older" three
    assert "nu-cong/bai-so-khong" in made and {keys[1], keys[2], keys[3]} <= made
    assert not made & set(keys[5:]), made & set(keys[5:])
    assert published(out) == clean_build(site, tmp_path / "clean")


def test_a_view_reading_the_whole_model_is_made_after_any_change(copy_site, tmp_path, counted_views, monkeypatch):
    site = copy_site("editorial")
    keys = write_articles(site)
    out = tmp_path / "out"
    counted = Views.article

    def reads_the_model(self, key):
        self.model.campaigns         # not through a query: the whole model is recorded as read
        return counted(self, key)

    monkeypatch.setattr(Views, "article", reads_the_model)
    assert build(site, out).ok
    (site / "content" / "articles" / "tu-sach.md").write_text(NEW_ARTICLE, encoding="utf-8")
    counted_views.clear()
    assert build(site, out).ok
    assert set(keys) <= {call[1] for call in counted_views if call[0] == "article"}


def test_a_page_whose_view_changed_only_in_what_a_fragment_reads_is_spliced(copy_site, tmp_path, monkeypatch):
    """"Cùng chuyên mục" is a fragment (_same_category.html): a new article changes that block in
    the view data of every article of its category, and those pages get the block spliced in."""
    site = copy_site("editorial")
    keys = write_articles(site, 40)
    out = tmp_path / "out"
    assert build(site, out).ok
    spliced: list[str] = []
    splice = page_pass._splice

    def noted(session, batch, ready, *args):
        spliced.extend(batch.jobs[item[0]].output_path for item in ready)
        return splice(session, batch, ready, *args)

    monkeypatch.setattr(page_pass, "_splice", noted)
    (site / "content" / "articles" / "tu-sach.md").write_text(NEW_ARTICLE, encoding="utf-8")
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    older_thoi_su = [k for k in keys if k.startswith("thoi-su/")][:-6]     # below the category's newest six
    assert older_thoi_su and {f"{k}/index.html" for k in older_thoi_su} <= set(spliced)
    assert published(out) == clean_build(site, tmp_path / "clean")
    block = BeautifulSoup((out / older_thoi_su[0] / "index.html").read_text("utf-8"), "html.parser")
    assert "tủ sách" in block.select_one("#cung-chuyen-muc").find_parent("section").get_text()


def test_a_fragment_given_a_variable_of_the_page_template_is_not_taken_from_the_view_data(copy_site, tmp_path):
    """A `with` names the fragment's input after a view data key but gives it another value: the
    block follows the variable, and the page is the bytes of a clean build after the change."""
    site = copy_site("editorial")
    theme = site / "themes" / "rieng" / "templates"
    theme.mkdir(parents=True)
    (site / "themes" / "rieng" / "theme.yaml").write_text("name: rieng\nparent: congdoan\n", encoding="utf-8")
    article = (ROOT / "themes" / "congdoan" / "templates" / "article.html").read_text("utf-8")
    (theme / "article.html").write_text(article.replace(
        '{% include "_same_category.html" %}',
        '{% include "_same_category.html" %}{% with same_category = older %}{% include "_same_category.html" %}'
        '{% endwith %}'), encoding="utf-8")
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("theme: congdoan", "theme: rieng"), encoding="utf-8")
    write_articles(site, 30)
    out = tmp_path / "out"
    assert build(site, out).ok
    (site / "content" / "articles" / "tu-sach.md").write_text(NEW_ARTICLE, encoding="utf-8")
    assert build(site, out).ok
    assert published(out) == clean_build(site, tmp_path / "clean")
