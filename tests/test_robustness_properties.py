"""Property tests: on arbitrary text, readers return a value or our own diagnostics, never crash.

"Never crash" means: no exception other than ContentError leaves split/decode/load_yaml, and none
at all leaves read_article, parse_config or the honour-roll reader (they return diagnostics).
"""
from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import parse_config
from generator.diagnostics import ContentError, Diagnostic
from generator.markdown_render import MarkdownRenderer
from generator.readers.articles import read_article
from generator.readers.frontmatter import decode, split
from generator.sources import SourceFile
from generator.vietnamese import slugify
from generator.yamlread import load_yaml

SLUG = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MARKDOWN = MarkdownRenderer()
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like what editors write: Vietnamese letters, YAML and Markdown punctuation.
ALPHABET = st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐÔƠƯ"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \t\n\r:-#*&!|>[]{}()'\",.?/\\%@`~<=_^$\u00a0\ufeff"))
EDITOR_TEXT = st.text(alphabet=ALPHABET, max_size=300)
ANY_TEXT = st.one_of(st.text(max_size=300), EDITOR_TEXT)
KEYS = st.sampled_from(["title", "date", "category", "tags", "author", "slug", "image", "related", "campaign",
                        "featured", "format", "video", "updated", "draft", "sapo", "titel", "ngay", "- x", "? a"])
VALUES = st.one_of(
    EDITOR_TEXT.map(lambda s: s.replace("\n", " ")),
    st.sampled_from(["2026-02-30", "2026-11-21 08:30", "31/4/2026", "[a, b]", "{a: 1}", "true", "có", "null", "~",
                     "&a x", "*a", "!!python/object:os.system", "!!binary AAAA", "'unclosed", "|", ">-", "[[[[", "1e999",
                     "/media/../../etc/passwd", "../../x", "thoi-su/a", "0x1F", "2026-13-01", "-", "---"]),
)
FRONT_MATTER_LINE = st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]}: {kv[1]}")
DOCUMENT = st.builds(lambda lines, body, closed: "---\n" + "\n".join(lines) + ("\n---\n" if closed else "\n") + body,
                     st.lists(FRONT_MATTER_LINE, max_size=8), ANY_TEXT, st.booleans())


def only_diagnostics(problems) -> None:
    assert isinstance(problems, list) and all(isinstance(p, Diagnostic) for p in problems)


@PROPERTY
@given(ANY_TEXT)
def test_slugify_gives_a_slug_or_nothing(text):
    slug = slugify(text)
    assert SLUG.match(slug), slug
    assert slugify(slug) == slug


@PROPERTY
@given(st.binary(max_size=300))
def test_decode_returns_text_or_a_content_error(data):
    try:
        text = decode(data, "a.md")
    except ContentError as exc:
        assert exc.diagnostic.path == "a.md" and exc.diagnostic.line
        return
    assert "\r" not in text


@PROPERTY
@given(st.one_of(ANY_TEXT, DOCUMENT))
def test_split_returns_a_document_or_a_content_error(text):
    try:
        doc = split(text, "a.md")
    except ContentError as exc:
        assert exc.diagnostic.path == "a.md"
        return
    assert isinstance(doc.meta, dict) and doc.body_line >= 1


@PROPERTY
@given(st.one_of(ANY_TEXT, st.lists(FRONT_MATTER_LINE, max_size=10).map("\n".join)))
def test_yaml_reading_raises_only_content_errors(text):
    try:
        load_yaml(text, "a.yaml")
    except ContentError:
        pass


@PROPERTY
@given(st.one_of(DOCUMENT, ANY_TEXT.map(lambda s: s.encode("utf-8")), st.binary(max_size=200)))
def test_read_article_returns_diagnostics_on_any_input(content):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    article, problems = read_article(SourceFile("article", "content/articles/a.md", data, "0"), TZ, MARKDOWN)
    only_diagnostics(problems)
    if article is None:
        assert any(p.severity == "error" for p in problems)
    else:
        assert SLUG.match(article.slug) and article.title


@PROPERTY
@given(st.one_of(ANY_TEXT, st.lists(FRONT_MATTER_LINE, max_size=10).map("\n".join)))
def test_parse_config_returns_diagnostics_on_any_input(text):
    config, diags = parse_config(text)
    only_diagnostics(diags.items)
    assert config is not None or diags.has_errors


ROLL_KEYS = st.sampled_from(["title", "kind", "year", "entries", "campaign", "issuer", "description", "name", "unit",
                             "photo", "benefit", "authors", "collective", "initiative", "article"])
ROLL_LINE = st.tuples(st.sampled_from(["", "  ", "  - ", "    "]), ROLL_KEYS, VALUES).map(lambda t: f"{t[0]}{t[1]}: {t[2]}")


@PROPERTY
@given(st.one_of(ANY_TEXT, st.lists(ROLL_LINE, max_size=12).map(lambda lines: "\n".join(["entries:", *lines]))))
def test_honour_roll_reading_returns_diagnostics_on_any_input(text):
    reader = pytest.importorskip("generator.honours.reader")
    roll, problems = reader.read_roll(text.encode("utf-8"), "content/honours/2026/bang-vang.yaml", MARKDOWN)
    only_diagnostics(problems)
    assert roll is not None or any(p.severity == "error" for p in problems)
