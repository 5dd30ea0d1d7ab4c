from bs4 import BeautifulSoup

from generator.markdown_render import MarkdownRenderer


def render(text, base="/", **kw):
    result = MarkdownRenderer(base).render(text, **kw)
    return result, BeautifulSoup(result.html, "html.parser")


def test_captioned_image_becomes_figure():
    result, soup = render('Mở đầu.\n\n![Công nhân](/media/a.jpg "Công nhân nhận thưởng")\n')
    figure = soup.find("figure")
    assert figure.img["src"] == "/media/a.jpg"
    assert figure.img["alt"] == "Công nhân"
    assert not figure.img.has_attr("title")
    assert figure.figcaption.get_text() == "Công nhân nhận thưởng"
    assert result.images == ("/media/a.jpg",)


def test_image_without_title_stays_inline():
    _, soup = render("![Ảnh](/media/a.jpg)\n")
    assert soup.find("figure") is None and soup.find("img") is not None


def test_tables_footnotes_and_attribute_lists():
    _, soup = render("| a | b |\n|---|--:|\n| 1 | 2 |\n\nCâu[^1].\n{: .note }\n\n[^1]: Ghi chú.\n")
    assert [th.get_text() for th in soup.select("table th")] == ["a", "b"]
    assert soup.select_one("td[style]")["style"].startswith("text-align")
    assert soup.select_one("p.note") is not None
    assert soup.select_one("div.footnote li").get_text().strip().startswith("Ghi chú.")
    assert soup.select_one("sup a.footnote-ref")["href"] == "#fn:1"


def test_long_piece_gets_table_of_contents_short_does_not():
    long = "\n\n".join(f"## Phần {i}\n\nNội dung." for i in range(1, 6))
    result, soup = render(long)
    assert [h.title for h in result.toc] == [f"Phần {i}" for i in range(1, 6)]
    assert soup.find("h2")["id"] == result.toc[0].id == "phan-1"
    short, _ = render("## Một\n\n## Hai\n")
    assert short.toc == ()


def test_raw_html_is_sanitised_but_youtube_embeds_pass():
    text = ('<script>alert(1)</script>\n\n<p onclick="x()">Chữ</p>\n\n'
            '<iframe src="https://www.youtube.com/embed/AbCdEfGhIjK" title="Video"></iframe>\n\n'
            '<iframe src="https://evil.example/x"></iframe>\n\n'
            '[xấu](javascript:alert(1)) [dữ liệu](data:text/html,hi) [tốt](https://example.vn/)\n')
    result, soup = render(text)
    assert soup.find("script") is None and "alert(1)</script>" not in result.html
    assert not soup.find("p", attrs={"onclick": True})
    frames = soup.find_all("iframe")
    assert [f["src"] for f in frames] == ["https://www.youtube.com/embed/AbCdEfGhIjK"]
    hrefs = [a.get("href") for a in soup.find_all("a")]
    assert hrefs == [None, None, "https://example.vn/"]


def test_site_paths_follow_a_sub_path_deploy():
    _, soup = render("[Tin](/thoi-su/) ![a](/media/a.jpg)\n", base="/ldld/")
    assert soup.a["href"] == "/ldld/thoi-su/"
    assert soup.img["src"] == "/ldld/media/a.jpg"


def test_lead_paragraph_can_be_taken_out_for_the_sapo():
    result, soup = render("Đoạn dẫn.\n\nThân bài.\n", extract_lead=True)
    assert result.lead == "Đoạn dẫn."
    assert [p.get_text() for p in soup.find_all("p")] == ["Thân bài."]
