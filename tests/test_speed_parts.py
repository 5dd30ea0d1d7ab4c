"""The parts behind fast rebuilds: the cache's blobs, the document cache, workers, progress."""
from __future__ import annotations

import io
import os

from generator import cache as cache_module
from generator import parallel
from generator.cache import DocumentCache, read_blob, write_blob
from generator.cli import main
from generator.fingerprint import Fingerprinter, Shared, value_digest
from generator.progress import Progress, bar_line, summary_line
from generator.sources import SourceFile


def test_a_blob_reads_back_only_in_its_own_environment(tmp_path):
    path = tmp_path / "x.pickle"
    write_blob(path, "env-1", {"a": [1, 2]})
    assert read_blob(path, "env-1") == {"a": [1, 2]}
    assert read_blob(path, "env-2") is None
    assert read_blob(tmp_path / "missing.pickle", "env-1") is None


def test_a_damaged_blob_is_ignored(tmp_path):
    path = tmp_path / "x.pickle"
    write_blob(path, "env", list(range(1000)))
    data = path.read_bytes()
    for damaged in (data[:-10], data[:-1] + bytes([data[-1] ^ 0xFF]), b"not a cache", data.replace(b"\n", b" ", 1)):
        path.write_bytes(damaged)
        assert read_blob(path, "env") is None


def source(path: str, text: str) -> SourceFile:
    import hashlib

    data = text.encode()
    return SourceFile("article", path, data, hashlib.sha256(data).hexdigest())


def test_document_cache_keeps_only_what_the_last_build_used(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "SHARDS", 1)       # both entries in one file
    one, two = source("content/articles/a.md", "A"), source("content/articles/b.md", "B")
    cache = DocumentCache(tmp_path, "env")
    cache.put(one, ("doc a", []))
    cache.put(two, ("doc b", []))
    cache.save()
    again = DocumentCache(tmp_path, "env")
    assert again.get(one) == ("doc a", []) and again.hits == 1
    again.save()                                         # `two` was not used: dropped
    third = DocumentCache(tmp_path, "env")
    assert third.get(two) is None and third.get(one) == ("doc a", [])
    edited = source("content/articles/a.md", "A, edited")
    assert third.get(edited) is None                     # same path, other bytes: a miss
    assert DocumentCache(tmp_path, "other env").get(one) is None


def test_shared_dicts_fingerprint_like_plain_dicts_of_the_same_content():
    card = Shared({"title": "Hội nghị", "url": "/thoi-su/hoi-nghi/"})
    fingerprints = Fingerprinter("shared")
    first = fingerprints.page("/a/", "list.html", {"cards": [card, card]})
    same = Fingerprinter("shared").page("/a/", "list.html", {"cards": [Shared(dict(card)), Shared(dict(card))]})
    other = Fingerprinter("shared").page("/a/", "list.html", {"cards": [Shared({**card, "title": "Đại hội"}), card]})
    assert first == same != other
    assert value_digest({"x": lambda: 1}) is None        # not serialisable: never "unchanged"
    from markupsafe import Markup
    assert value_digest({"x": "<b>"}) != value_digest({"x": Markup("<b>")})


def squares(start: int, stop: int) -> list:
    return [(index, index * index, os.getpid()) for index in parallel.shared()["items"][start:stop]]


def test_workers_return_results_in_order(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    done = []
    results = parallel.run_chunks(squares, 100, 2, {"items": list(range(100))}, done.append, chunk=7)
    assert [r[:2] for r in results] == [(i, i * i) for i in range(100)]
    assert sum(done) == 100
    assert len({r[2] for r in results}) >= 1 and parallel.shared() == {}


def test_progress_bar_waits_two_seconds_and_only_on_a_terminal():
    now = [0.0]
    stream = io.StringIO()
    bar = Progress(stream, enabled=True, clock=lambda: now[0])
    advance = bar.stage("Dựng trang", 12036)
    advance(1000)
    assert stream.getvalue() == ""                       # a quick build shows no bar
    now[0] = 2.5
    advance(3000)
    assert "Dựng trang [" in stream.getvalue() and "4.000/12.036" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[K")
    quiet = io.StringIO()
    piped = Progress(quiet, clock=lambda: now[0])        # StringIO is not a TTY
    piped.stage("Đọc bài", 10)(10)
    assert quiet.getvalue() == ""


def test_summary_line_in_vietnamese_numbers():
    assert summary_line(12036, 11980, 0, 0.8) == "12.036 trang, 11.980 không đổi, 0,8 s"
    assert summary_line(22, 0, 10, 2.04) == "22 trang, 0 không đổi, 10 tệp khác, 2,0 s"
    assert summary_line(12036, 820, 57, 9.5, 11100) == "12.036 trang, 820 không đổi, 11.100 thay khối chung, 57 tệp khác, 9,5 s"
    assert bar_line("Đọc bài", 5, 10, 2.0).endswith("5/10  2/s")


def test_quiet_prints_only_problems(copy_site, capsys):
    site = copy_site("basic")
    assert main(["build", "--site", str(site), "--output", str(site / "out"), "--today", "2026-11-22", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "error" not in err
    assert main(["build", "--site", str(site), "--output", str(site / "out"), "--today", "2026-11-22"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("built: ") and " trang, " in out and " không đổi" in out
