"""Safety: raw HTML is sanitised to an allow-list, YAML is read safely, links cannot leave the site."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.diagnostics import ContentError
from generator.documents import Article
from generator.urls import ARTICLE_PATTERN
from generator.linkcheck import _resolve, check_links, known_targets
from generator.markdown_render import MarkdownRenderer
from generator.sanitize import sanitize_html
from generator.yamlread import load_yaml


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>",
    "<form action='/x'><input name='a'></form>",
    "<object data='x.swf'></object>",
    "<iframe src='https://evil.example/embed/x'></iframe>",
    "<iframe src='http://www.youtube.com/embed/x'></iframe>",   # embeds only over https
    # Browsers read a backslash as a slash: this one loads evil.example, whatever urlsplit says.
    "<iframe src='https://evil.example\\@www.youtube.com/embed/x'></iframe>",
    "<iframe src='https://evil.example\\.www.youtube.com/embed/x'></iframe>",
    "<iframe src='https://user:pw@www.youtube.com/embed/x'></iframe>",   # userinfo: never in an embed
    "<iframe src='https://www.youtube.com:8443/embed/x'></iframe>",
    "<iframe src='//www.youtube.com/embed/x'></iframe>",
])
def test_dangerous_elements_are_removed_whole(html):
    assert sanitize_html(html) == ""


@pytest.mark.parametrize("html", [
    "<p onclick='steal()'>t</p>", "<img src='/media/a.jpg' onerror='steal()'>", "<a href='/x/' onmouseover='x()'>a</a>",
])
def test_event_handler_attributes_are_dropped(html):
    cleaned = soup(sanitize_html(html))
    assert all(not name.startswith("on") for tag in cleaned.find_all(True) for name in tag.attrs)
    assert cleaned.find(True) is not None      # the element itself stays


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "&#106;avascript:alert(1)",
    "java&#x09;script:alert(1)", "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=",
])
def test_unsafe_urls_are_dropped_from_links_and_images(url):
    link = soup(sanitize_html(f'<a href="{url}">xem</a>')).find("a")
    image = soup(sanitize_html(f'<img src="{url}" alt="ảnh">')).find("img")
    assert link.get_text() == "xem" and "href" not in link.attrs
    assert "src" not in image.attrs


def test_youtube_embed_is_kept():
    html = '<iframe src="https://www.youtube.com/embed/abc123" allowfullscreen onload="x()"></iframe>'
    frame = soup(sanitize_html(html)).find("iframe")
    assert frame["src"] == "https://www.youtube.com/embed/abc123"
    assert "onload" not in frame.attrs


def test_embed_src_is_rebuilt_from_its_parsed_parts():
    frame = soup(sanitize_html('<iframe src=" https://WWW.YouTube.com\\embed/abc?t=1#x"></iframe>')).find("iframe")
    assert frame["src"] == "https://www.youtube.com/embed/abc?t=1#x"


def test_embed_permissions_are_cut_to_what_a_player_needs():
    html = ('<iframe src="https://www.youtube.com/embed/abc" allow="camera; microphone *; geolocation; '
            'autoplay; encrypted-media \'src\'; payment; fullscreen"></iframe>')
    assert soup(sanitize_html(html)).find("iframe")["allow"] == "autoplay; encrypted-media; fullscreen"
    only_bad = '<iframe src="https://www.youtube.com/embed/abc" allow="camera; microphone"></iframe>'
    assert "allow" not in soup(sanitize_html(only_bad)).find("iframe").attrs


def test_safe_markup_is_kept():
    html = '<p>Đoàn viên <strong>Công đoàn</strong> <a href="/thoi-su/">tin</a> <a href="mailto:a@b.vn">thư</a></p>'
    assert sanitize_html(html) == html


def test_raw_html_in_markdown_bodies_is_sanitised():
    rendered = MarkdownRenderer().render(
        "Đoạn đầu.\n\n<div onclick=\"x()\"><script>alert(1)</script>Hộp tin</div>\n\n"
        "[bấm](javascript:alert(1)) ![ảnh](data:image/png;base64,AAAA)\n")
    page = soup(rendered.html)
    assert page.find("script") is None and "alert" not in rendered.html
    assert page.find("div").attrs == {} and page.find("div").get_text() == "Hộp tin"
    assert "href" not in page.find("a").attrs and "src" not in page.find("img").attrs


@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system ['echo pwned']",
    "a: !!python/name:os.system",
    "a: !!python/object:generator.diagnostics.Diagnostic {}",
])
def test_yaml_python_tags_are_refused(text):
    with pytest.raises(ContentError) as error:
        load_yaml(text, "content/articles/a.md", 2)
    assert error.value.diagnostic.path == "content/articles/a.md" and error.value.diagnostic.line == 2


def test_yaml_alias_bomb_is_refused_before_expansion():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "\n".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(12))
    with pytest.raises(ContentError, match="aliases"):
        load_yaml(bomb, "site.yaml")


# -- link checking ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path, resolved", [
    ("/a/b/../c/", "/a/c/"), ("/a/./b", "/a/b"), ("/a/..", "/"), ("/..", None), ("/a/../../etc/passwd", None),
    ("/media/../../x", None), ("/", "/"),
])
def test_resolve_collapses_dots_and_refuses_climbing_out(path, resolved):
    assert _resolve(path) == resolved


def article(links=(), images=(), lines=None) -> Article:
    import datetime as dt
    return Article(path="content/articles/a.md", slug="bai-a", title="Bài A", date=dt.datetime(2026, 1, 1),
                   category="thoi-su", sapo="", body_html="", links=tuple(links), images=tuple(images),
                   key_lines=lines or {"": 1})


KNOWN = known_targets(["/", "/thoi-su/", "/thoi-su/bai-a/", "/thoi-su/bai-b/", "/gioi-thieu/"], ["rss.xml"],
                      {"/media/anh/a.jpg": None}, [])


def messages(doc, held_back=()) -> list[str]:
    return [d.format() for d in check_links([doc], KNOWN, set(held_back), "https://ld.example.vn/", ARTICLE_PATTERN)]


def test_good_links_pass():
    doc = article(["/thoi-su/", "../bai-b/", "/gioi-thieu/#lien-he", "/rss.xml", "/media/anh/a.jpg",
                   "https://ld.example.vn/thoi-su/bai-b/", "https://other.example/x", "mailto:a@b.vn", "#muc-1",
                   "/thoi-su/bai-b/index.html"])
    assert messages(doc) == []


def test_broken_link_is_reported_on_its_body_line_with_a_hint():
    doc = article(["/thoi-su/bai-aa/"], lines={"": 1, "link:/thoi-su/bai-aa/": 14})
    assert messages(doc) == ["content/articles/a.md:14: error: link '/thoi-su/bai-aa/' points to a page that does "
                             "not exist; did you mean '/thoi-su/bai-a/'?"]


def test_relative_link_is_resolved_against_the_article_url():
    assert messages(article(["bai-khac/"]))[0].startswith(
        "content/articles/a.md:1: error: link 'bai-khac/' points to a page that does not exist")
    assert messages(article(["../../../../etc/passwd"]))[0].endswith(
        "link '../../../../etc/passwd' climbs out of the site ('..'); write the site path of the page, "
        "e.g. /thoi-su/ten-bai/, or /media/… for a file")


def test_link_to_an_article_not_yet_published_is_a_warning():
    assert messages(article(["/thoi-su/bai-sau/"]), held_back={"/thoi-su/bai-sau/"}) == [
        "content/articles/a.md:1: warning: link '/thoi-su/bai-sau/' points to an article that is a draft or not yet "
        "due; the link works from the day that article is published"]


def test_unsafe_link_is_a_warning_and_missing_slash_is_a_warning():
    unsafe, no_slash = messages(article(["javascript:alert(1)", "/thoi-su"]))
    assert unsafe.startswith("content/articles/a.md:1: warning: link 'javascript:alert(1)' uses an unsafe")
    assert no_slash == "content/articles/a.md:1: warning: link '/thoi-su' lacks its final '/'; write /thoi-su/"


def test_page_urls_held_as_output_paths_answer_like_the_urls_themselves():
    from generator.urls import PageURLs, page_url

    paths = {"index.html", "thoi-su/index.html", "thoi-su/bai-a/index.html", "404.html", "tim-kiem/index.html",
             "a/b-index.html", "rss.xml"}
    lazy, made = PageURLs(paths), {page_url(p) for p in paths}
    asked = made | {"/thoi-su/bai-a", "/thoi-su/bai-a/index.html", "/index.html", "/a/b-", "/404.html/", "",
                    "thoi-su/", "/khong-co/", "/a/b-index.html"}
    assert {url for url in asked if url in lazy} == made
    assert set(lazy) == made


def test_targets_answer_exactly_what_they_list():
    listed = set(KNOWN)
    probes = listed | {"/thoi-su/bai-c/", "/rss.xml/", "/media/anh/b.jpg", "/static/x.css", "/", "/gioi-thieu"}
    assert {p for p in probes if p in KNOWN} == listed
    assert listed == {"/", "/thoi-su/", "/thoi-su/bai-a/", "/thoi-su/bai-b/", "/gioi-thieu/", "/rss.xml",
                      "/media/anh/a.jpg"}
