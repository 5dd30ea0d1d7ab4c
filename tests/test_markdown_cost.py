"""No editor's text may stall a build: rendering grows linearly with the text, whatever it holds.

Each hostile pattern is rendered at n and 4 n repetitions; linear work takes ~4 times as long,
the quadratic cost these patterns had takes 16 (a 64 KB body of `[a](` took 110 s). The ratio of
the fastest of three runs is asserted, never an absolute time.
"""
from __future__ import annotations

import time

import pytest

from generator.markdown_limits import ALLOWED, MAX_DEPTH, MAX_PARAGRAPH_LINKS, neutralise
from generator.markdown_render import MarkdownRenderer, limit_warnings

pytestmark = pytest.mark.slow      # times growth ratios of big inputs: the slow tier

PATTERNS = ["[a](", "[", "<div>", "<a", "<a b", "</a", "[a]("]
N = 4_000


def cost(markdown: MarkdownRenderer, body: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        markdown.render(body)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("unit", sorted(set(PATTERNS)) + ["\\[", "&#91;", "**a** ", "`a` "])
def test_hostile_patterns_render_in_linear_time(unit):
    """Rendered (openers made text) or refused (a paragraph too full of marks): linear either way."""
    markdown = MarkdownRenderer()
    small, large = (cost(markdown, "Mở đầu.\n\n" + unit * n + "\n") for n in (N, 4 * N))
    assert large / small < 9, f"{unit!r} x {N}: {small:.3f} s, x {4 * N}: {large:.3f} s"   # 4 linear, 16 quadratic


def test_ordinary_long_content_stays_linear_and_unchanged():
    markdown = MarkdownRenderer()
    rows = "\n".join(f"| {i} | [Nguyễn Văn {i}](/tac-gia/{i}/) | Công ty (TNHH) số {i} |" for i in range(3_000))
    body = "Danh sách.\n\n| STT | Họ tên | Đơn vị |\n|---|---|---|\n" + rows + "\n"
    assert neutralise(body).text == body                  # nothing to make plain: the same text
    rendered = markdown.render(body)
    assert rendered.limited is None and rendered.html.count("<tr>") == 3_001
    small, large = cost(markdown, body[: len(body) // 4]), cost(markdown, body)
    assert large / small < 7


def test_unclosed_openers_are_shown_as_text_with_a_warning_at_their_line():
    rendered = MarkdownRenderer().render("Đoạn đầu.\n\nĐoạn hai.\n\n" + "[a](" * (ALLOWED + 1))
    assert rendered.html.count("[a](") == ALLOWED + 1 and "<a " not in rendered.html
    [warning] = limit_warnings(rendered, "content/articles/x.md", 7)
    assert (warning.line, warning.severity) == (11, "warning")
    assert "'[' or '(' that never close" in warning.message


def test_a_few_unclosed_openers_are_left_to_markdown():
    text = "Giá [tạm tính (chưa gồm thuế. Xem <b>bảng</b> [ở đây](/bang-gia/)."
    assert neutralise(text).text == text


def test_html_nested_past_the_limit_is_text_beyond_the_limit():
    rendered = MarkdownRenderer().render("<div>" * (MAX_DEPTH + 20) + "Hộp" + "</div>" * (MAX_DEPTH + 20))
    assert rendered.limited is not None and "HTML nested more than" in rendered.limited[1]
    assert rendered.html.count("&lt;div&gt;") == 20


def test_a_paragraph_crowded_with_links_is_an_error_and_a_list_of_them_builds():
    """n links in one paragraph cost n^2 in Python-Markdown (2,000 took 33 s); a list does not."""
    markdown = MarkdownRenderer()
    links = [f"[đơn vị {i}](/don-vi/{i}/)" for i in range(MAX_PARAGRAPH_LINKS + 1)]
    rendered = markdown.render("Đoạn đầu.\n\n" + " ".join(links) + "\n")
    [error] = limit_warnings(rendered, "content/articles/x.md", 7)
    assert (error.line, error.severity) == (9, "error") and f"holds {MAX_PARAGRAPH_LINKS + 1} links" in error.message
    full = markdown.render("Đoạn đầu.\n\n" + "**đậm** chữ " * 2_000 + "\n")
    [error] = limit_warnings(full, "content/articles/x.md", 7)
    assert error.line == 9 and "holds 8000 Markdown marks" in error.message          # 4 stars a bold
    listed = markdown.render("Đoạn đầu.\n\n" + "\n".join("- " + link for link in links) + "\n")
    assert listed.crowded is None and listed.html.count("<li>") == MAX_PARAGRAPH_LINKS + 1
    small, large = cost(markdown, "\n".join("- " + l for l in links[:75])), cost(markdown, "\n".join("- " + l for l in links))
    assert large / small < 7
