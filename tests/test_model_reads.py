"""Model reads recorded per page view: a page whose view would be made from the same answers keeps
its page key without its view data being made, and every page is still the bytes of a clean build."""
from __future__ import annotations

import pytest

from conftest import build
from generator.views import Views
from published import clean_build, published

ARTICLE = """---
title: {title}
date: 2026-{month:02d}-{day:02d} 08:00
category: {category}
---
Bài số {n} về hoạt động công đoàn cơ sở.
"""
NEW_ARTICLE = """---
title: Công đoàn ra mắt tủ sách người lao động
date: 2026-11-21 20:00
category: thoi-su
---
Tủ sách đặt tại nhà văn hoá khu công nghiệp.
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
