"""Pure fragments (cards, sidebar, footer) rendered once per build give the same pages."""
from __future__ import annotations

import jinja2
from bs4 import BeautifulSoup

from conftest import build
from generator import pipeline
from generator.fragments import memoize_pure_templates, pure_inputs
from test_incremental import assert_same_tree


def test_pure_comment_names_the_inputs():
    assert pure_inputs("{# pure: card size heading sizes #}<article>") == ("card", "size", "heading", "sizes")
    assert pure_inputs("{# pure: #}<footer>") == ()
    assert pure_inputs("{#- pure: page.kind -#}") == ("page.kind",)
    assert pure_inputs("{# One card. #}<article>") is None


def test_a_pure_template_renders_once_per_distinct_input():
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "_item.html": "{# pure: item #}<b>{{ item.name }}</b>",
        "page.html": "{% for item in items %}{% include '_item.html' %}{% endfor %}",
    }))
    assert memoize_pure_templates(env) == 1
    first, second = {"name": "Hoa"}, {"name": "Hoa"}       # equal, but distinct objects
    page = env.get_template("page.html")
    assert page.render(items=[first, first, second]) == "<b>Hoa</b>" * 3
    first["name"] = "Lan"     # views never change a card once made; identity is the key
    assert page.render(items=[first, second]) == "<b>Hoa</b><b>Hoa</b>"


def test_memoised_build_equals_plain_build(copy_site, tmp_path, monkeypatch):
    site = copy_site("basic")
    fast = tmp_path / "fast"
    assert build(site, fast).ok
    monkeypatch.setattr(pipeline, "memoize_pure_templates", lambda env: 0)
    plain = tmp_path / "plain"
    assert build(site, plain).ok
    assert_same_tree(fast, plain)


def test_override_without_the_comment_is_rendered_every_time(copy_site, tmp_path):
    site = copy_site("basic")
    theme = site / "themes" / "rieng" / "templates"
    theme.mkdir(parents=True)
    (theme.parent / "theme.yaml").write_text("name: rieng\nparent: congdoan\n", encoding="utf-8")
    (theme / "_card.html").write_text('<p class="card-on">{{ page.url }}|{{ card.title }}</p>\n', encoding="utf-8")
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("theme: congdoan", "theme: rieng"), encoding="utf-8")
    out = tmp_path / "out"
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    pages = [out / "index.html", out / "thoi-su" / "index.html"]
    seen = [{p.text.split("|")[0] for p in BeautifulSoup(page.read_text("utf-8"), "html.parser").select(".card-on")}
            for page in pages]
    assert seen[0] == {"/"} and seen[1] == {"/thoi-su/"}
