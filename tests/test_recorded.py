"""Recorded reads: fragments rendered once per distinct recorded input, pages spliced when only
their fragments changed, and every page the same bytes as rendering it afresh."""
from __future__ import annotations

import re
import sqlite3

import jinja2
import pytest
from bs4 import BeautifulSoup

from conftest import build
from generator import fragments, page_pass, recorded, render
from generator.fingerprint import Shared
from generator.fragments import CLOSE, OPEN, page_spans, prepare
from generator.recorded import GlobalView, begin_page, end_page
from generator.render_job import RenderJob
from published import clean_build, published
from test_incremental import assert_same_tree

NEW_ARTICLE = """---
title: Công đoàn ra mắt tủ sách người lao động
date: 2026-11-21 20:00
category: thoi-su
---
Tủ sách đặt tại nhà văn hoá khu công nghiệp.
"""


def environment(templates: dict[str, str], **data) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
    env.globals.update({name: GlobalView(name, value) for name, value in data.items()})
    prepare(env)
    return env


def render_page(env, name: str, **context) -> tuple[str, recorded.Recorder]:
    page = begin_page(marks=False)
    try:
        return env.get_template(name).render(**context), page
    finally:
        end_page()


def test_a_page_records_the_entries_of_the_globals_it_reads():
    env = environment({"page.html": "{{ site.title }} {{ ui.more }}"}, site={"title": "A", "latest": [1]},
                      ui={"more": "Xem"})
    html, page = render_page(env, "page.html")
    assert html == "A Xem"
    assert page.globals_read == page.own_globals == {("site", "title"), ("ui", "more")}


def test_a_fragment_renders_once_per_distinct_recorded_input():
    calls = []
    env = environment({
        "_side.html": "{# fragment #}<aside>{{ count() }}{% if page.kind != 'home' %}{{ site.latest }}{% endif %}</aside>",
        "page.html": "<main>{{ page.title }}</main>{% include '_side.html' %}",
    }, site={"latest": "Tin mới", "title": "T"})
    env.globals["count"] = lambda: calls.append(1) or ""
    pages = [{"kind": "article", "title": f"Bài {n}"} for n in range(3)] + [{"kind": "home", "title": "Trang chủ"}]
    htmls = [render_page(env, "page.html", page=page) for page in pages]
    assert len(calls) == 2                        # the article kind once, the home kind once
    assert htmls[0][0] == "<main>Bài 0</main><aside>Tin mới</aside>"
    assert htmls[3][0] == "<main>Trang chủ</main><aside></aside>"
    # the page's own reads leave the fragment's out; its reads include them
    assert htmls[0][1].own_globals == set() and htmls[0][1].globals_read == {("site", "latest")}
    assert htmls[3][1].globals_read == set()


def test_a_fragment_given_a_new_list_of_the_same_cards_is_not_rendered_again():
    """Each page's view makes its own list ("Cùng chuyên mục"), of cards shared by every page: the
    block is found again by its items, and a list of other cards is rendered anew."""
    calls = []
    env = environment({
        "_block.html": "{# fragment #}{{ count() }}{% for card in items %}{{ card.title }} {% endfor %}",
        "page.html": "<h1>{{ title }}</h1>{% include '_block.html' %}",
    })
    env.globals["count"] = lambda: calls.append(1) or ""
    cards = [{"title": "Một"}, {"title": "Hai"}]
    pages = [render_page(env, "page.html", title=n, items=list(cards))[0] for n in ("a", "b", "c")]
    assert pages[0] == "<h1>a</h1>Một Hai " and pages[2] == "<h1>c</h1>Một Hai "
    assert len(calls) == 1
    other = render_page(env, "page.html", title="d", items=[cards[1], {"title": "Ba"}])[0]
    assert other == "<h1>d</h1>Hai Ba " and len(calls) == 2


def test_digests_keep_no_page_view_data():
    """A page's own view data is digested once or twice: the build must not hold it to the end
    (at 10,000 articles that held every page's view data, +90 MiB). Shared cards are kept."""
    digests = recorded.Digests()
    page, card = {"title": "Bài"}, Shared({"title": "Thẻ"})
    assert digests.value(page) == digests.value({"title": "Bài"}) and digests.value(card)
    assert not any(kept is page for kept, _ in digests.values.values())
    assert any(kept is card for kept, _ in digests.values.values())


def test_what_a_fragment_reads_through_a_plain_include_is_its_input():
    env = environment({
        "_label.html": "<b>{{ page.badge }}</b>",
        "_card.html": "{# fragment #}{% include '_label.html' %}{{ card }}",
        "page.html": "{% for card in cards %}{% include '_card.html' %}{% endfor %}",
    })
    first, _ = render_page(env, "page.html", page={"badge": "Mới"}, cards=["a", "b"])
    second, _ = render_page(env, "page.html", page={"badge": "Cũ"}, cards=["a"])
    assert first == "<b>Mới</b>a<b>Mới</b>b"
    assert second == "<b>Cũ</b>a"                 # not the card rendered for the first page


def test_a_name_missing_at_one_include_and_given_at_another_is_told_apart():
    env = environment({
        "_card.html": "{# fragment #}{{ card }}:{{ sizes|default('100vw') }}",
        "page.html": "{% include '_card.html' %}",
    })
    assert render_page(env, "page.html", card="a")[0] == "a:100vw"
    assert render_page(env, "page.html", card="a", sizes="50vw")[0] == "a:50vw"
    assert render_page(env, "page.html", card="a")[0] == "a:100vw"


def test_a_nested_fragment_gives_its_outer_fragment_what_it_read_from_outside():
    env = environment({
        "_card.html": "{# fragment #}[{{ card }}{{ extra|default('') }}]",
        "_side.html": "{# fragment #}{% for card in site.latest %}{% include '_card.html' %}{% endfor %}",
        "page.html": "{% include '_side.html' %}",
    }, site={"latest": ["a", "b"]})
    assert render_page(env, "page.html")[0] == "[a][b]"
    assert render_page(env, "page.html", extra="!")[0] == "[a!][b!]"


def test_a_dict_read_key_by_key_is_compared_by_the_values_read():
    calls = []
    env = environment({"_item.html": "{# fragment #}<b>{{ count() }}{{ item.name }}</b>",
                       "page.html": "{% for item in items %}{% include '_item.html' %}{% endfor %}"})
    env.globals["count"] = lambda: calls.append(1) or ""
    first, second = {"name": "Hoa", "id": 1}, {"name": "Hoa", "id": 2}
    assert render_page(env, "page.html", items=[first, first, second])[0] == "<b>Hoa</b>" * 3
    assert len(calls) == 1         # only `name` was read, and it is the same
    first["name"] = "Lan"
    assert render_page(env, "page.html", items=[first, second])[0] == "<b>Lan</b><b>Hoa</b>"


def test_spans_are_the_byte_offsets_of_the_outermost_fragments():
    env = environment({"_f.html": "{# fragment #}<p>Ư{{ n }}</p>",
                       "page.html": "<h1>Tiêu đề</h1>{% include '_f.html' %}<i>giữa</i>{% with n=2 %}{% include '_f.html' %}{% endwith %}"})
    page = begin_page()
    try:
        marked = env.get_template("page.html").render(n=1)
    finally:
        end_page()
    assert marked.count(OPEN) == marked.count(CLOSE) == 2
    data, spans = page_spans(marked, page, None)
    assert [data[start:end].decode() for start, end, _ in spans] == ["<p>Ư1</p>", "<p>Ư2</p>"]


@pytest.mark.parametrize("page_template", [
    "{% set x %}{% include '_f.html' %}{% endset %}{{ x|upper }}",                  # changed after rendering
    "{% set x %}{% include '_f.html' %}{% endset %}{{ x }}{{ x }}",                 # shown twice
    "<img alt=\"{% include '_f.html' %}\">",                                        # inside a tag
])
def test_a_fragment_not_standing_as_rendered_gives_no_spans(page_template):
    env = environment({"_f.html": "{# fragment #}frag", "page.html": page_template})
    page = begin_page()
    try:
        marked = env.get_template("page.html").render()
    finally:
        end_page()
    assert page_spans(marked, page, None)[1] is None


def test_memoised_build_equals_plain_build(copy_site, tmp_path, monkeypatch):
    site = copy_site("basic")
    fast = tmp_path / "fast"
    assert build(site, fast).ok
    monkeypatch.setattr(fragments, "FRAGMENT", re.compile("(?!)"))      # no template is a fragment
    plain = tmp_path / "plain"
    assert build(site, plain).ok
    assert_same_tree(fast, plain)


def test_an_override_of_a_fragment_that_reads_more_is_rendered_for_each_page(copy_site, tmp_path):
    site = copy_site("basic")
    theme = site / "themes" / "rieng" / "templates"
    theme.mkdir(parents=True)
    (theme.parent / "theme.yaml").write_text("name: rieng\nparent: congdoan\n", encoding="utf-8")
    (theme / "_card.html").write_text('{# fragment #}<p class="card-on">{{ page.url }}|{{ card.title }}</p>\n',
                                      encoding="utf-8")
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("theme: congdoan", "theme: rieng"), encoding="utf-8")
    out = tmp_path / "out"
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    pages = [out / "index.html", out / "thoi-su" / "index.html"]
    seen = [{p.text.split("|")[0] for p in BeautifulSoup(page.read_text("utf-8"), "html.parser").select(".card-on")}
            for page in pages]
    assert seen[0] == {"/"} and seen[1] == {"/thoi-su/"}


def test_a_new_article_splices_the_pages_whose_sidebar_alone_changed(copy_site, tmp_path):
    site = copy_site("editorial")
    out = tmp_path / "out"
    assert build(site, out).ok
    (site / "content" / "articles" / "tu-sach.md").write_text(NEW_ARTICLE, encoding="utf-8")
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    # pages whose only change is "Tin mới" (one page per kind renders the new sidebar)
    assert report.spliced >= 5 and report.unchanged + report.spliced < report.pages
    assert published(out) == clean_build(site, tmp_path / "clean")
    sidebar = BeautifulSoup((out / "thoi-su" / "index.html").read_text("utf-8"), "html.parser").select_one(".sidebar")
    assert "tủ sách" in sidebar.get_text()


def page_rows(site) -> sqlite3.Connection:
    return sqlite3.connect(site / ".cache" / "build" / "build.sqlite")


def change_offsets(site) -> None:
    with page_rows(site) as db:
        db.execute("UPDATE pages SET spans = substr(spans, 1, 20) || x'00' || substr(spans, 22)")


def change_read_sets(site) -> None:
    with page_rows(site) as db:
        db.execute("UPDATE readsets SET paths = paths || ' '")


def garbage(site) -> None:
    for path in (site / ".cache" / "build").glob("build.sqlite*"):
        path.write_bytes(b"not a database " * 100)


@pytest.mark.parametrize("damage", [change_offsets, change_read_sets, garbage])
def test_damaged_page_records_are_not_used(copy_site, tmp_path, damage):
    site = copy_site("editorial")
    out = tmp_path / "out"
    assert build(site, out).ok
    damage(site)
    (site / "content" / "articles" / "tu-sach.md").write_text(NEW_ARTICLE, encoding="utf-8")
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert published(out) == clean_build(site, tmp_path / "clean")
    # the records are whole again after that build
    (site / "content" / "articles" / "tu-sach.md").write_text(NEW_ARTICLE.replace("ra mắt", "khai trương"),
                                                             encoding="utf-8")
    assert build(site, out).spliced > 0
    assert published(out) == clean_build(site, tmp_path / "clean-again")


def test_a_span_is_worked_out_again_only_from_view_data_it_names_for_sure():
    """A fragment that read a list of the view data is re-keyed from new view data; one that read
    a scalar entry (which a template variable of the same name could stand for) makes the page
    be rendered when its view data changes, never spliced with the old block."""
    env = environment({
        "_title.html": "{# fragment #}<h1>{{ title }}</h1>",
        "_list.html": "{# fragment #}{% for x in items %}{{ x }}{% endfor %}",
        "both.html": "<main>{% include '_title.html' %}{% include '_list.html' %}</main>",
        "list.html": "<main>{% include '_list.html' %}</main>",
    })
    digests = recorded.Digests()
    data, reads, _ = render._render(env, RenderJob("/a/", "both.html", {"title": "Cũ", "items": ["a"]}), None,
                                    digests, set())
    assert data == "<main><h1>Cũ</h1>a</main>".encode() and reads.own_names == ()
    assert page_pass.rekeyed(reads.spans, {"title": "Mới", "items": ["a"]}, digests) is None
    _, reads, _ = render._render(env, RenderJob("/b/", "list.html", {"title": "Cũ", "items": ["a"]}), None,
                                 digests, set())
    (old,) = reads.spans
    (same,) = page_pass.rekeyed(reads.spans, {"title": "Mới", "items": ["a"]}, digests)
    (new,) = page_pass.rekeyed(reads.spans, {"title": "Mới", "items": ["b"]}, digests)
    assert same[0] == old.local_key and new[0] != old.local_key
