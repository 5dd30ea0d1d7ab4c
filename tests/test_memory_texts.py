"""Writing the document cache and fingerprinting pages leave the texts as small as they were.

CPython's binary pickle protocols ask each str for its UTF-8 form, and a non-ASCII str keeps that
form for the rest of its life (sys.getsizeof shows it). Documents and view data live for the
whole build, so cache.write_blob and the fingerprints must not leave such copies behind."""
from __future__ import annotations

import datetime as dt
import pickle
import sys
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from generator.cache import DocumentCache
from generator.diagnostics import Diagnostic
from generator.documents import Article
from generator.fingerprint import Fingerprinter, Shared
from generator.markdown_render import Heading


def texts() -> list[str]:
    """Fresh non-ASCII texts (never pickled before)."""
    return ["".join(["Công đoàn cơ sở chăm lo đời sống đoàn viên ", str(i)]) for i in range(4)]


def article(body: str, title: str, heading: str, tag: str) -> Article:
    return Article(path="content/articles/2026/dai-hoi.md", slug="dai-hoi", title=title,
                   date=dt.datetime(2026, 11, 20, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), category="thoi-su",
                   sapo="Tóm tắt", body_html=f"<p>{body}</p>", toc=(Heading("muc-1", heading, 2),),
                   tags=(tag, "Đoàn viên"), words=12, key_lines={"title": 2})


def test_the_default_pickler_does_grow_texts():
    """The premise: without care, pickling keeps a UTF-8 copy on each text."""
    text = texts()[0]
    before = sys.getsizeof(text)
    pickle.dumps(text, protocol=pickle.HIGHEST_PROTOCOL)
    assert sys.getsizeof(text) > before


def test_writing_the_cache_keeps_document_texts_as_they_were_and_reads_back_equal(tmp_path):
    body, title, heading, tag = texts()
    doc = article(body, title, heading, tag)
    warning = Diagnostic(doc.path, 3, "warning", "Ảnh thiếu mô tả")
    strings = [doc.body_html, doc.title, doc.toc[0].title, doc.tags[0], doc.sapo, warning.message]
    sizes = [sys.getsizeof(s) for s in strings]
    source = SimpleNamespace(kind="article", path=doc.path, digest="sha")
    written = DocumentCache(tmp_path, "env")
    written.put(source, (doc, [warning]))
    written.save()                      # what every build does with the documents it parsed
    assert [sys.getsizeof(s) for s in strings] == sizes
    back = DocumentCache(tmp_path, "env").get(source)
    assert back == (doc, [warning])
    assert back[0].key_lines == {"title": 2}      # compare=False fields too


def test_fingerprints_keep_view_texts_as_they_were():
    first, second, third, _ = texts()
    card = Shared({"title": first, "url": "/thoi-su/dai-hoi/"})
    context = {"page": {"title": second}, "cards": [card, card], "lead": third}
    sizes = [sys.getsizeof(s) for s in (first, second, third)]
    fingerprints = Fingerprinter("shared")
    one = fingerprints.page("/a/", "article.html", context)
    assert [sys.getsizeof(s) for s in (first, second, third)] == sizes
    # still a fingerprint of the values: equal views agree, another text does not
    same = {"page": {"title": str(second)}, "cards": [Shared(card), Shared(card)], "lead": third}
    assert Fingerprinter("shared").page("/a/", "article.html", same) == one
    assert Fingerprinter("shared").page("/a/", "article.html", {**context, "lead": "Khác"}) != one
