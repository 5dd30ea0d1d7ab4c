"""Article bodies kept in the document cache's packs (generator/stored_text.py): read only when
shown, checked when read, and a damaged or missing pack never changes what a build writes."""
from __future__ import annotations

import dataclasses
import io
import pickle
from pathlib import Path

import pytest

from conftest import TODAY, build
from generator import fingerprint, pipeline
from generator.cache import cache_folder
from generator.fingerprint import BodyHTML, value_digest
from generator.state import BuildState
from generator.stored_text import DamagedCache, StoredText
from test_incremental import assert_same_tree, clean_build, site  # noqa: F401 (fixture)
from test_incremental_body_edits import EDITED, append


def read_articles(site: Path, state: BuildState) -> list:
    ctx = pipeline.BuildContext(site, pipeline.load_config(site)[0], pipeline.BuildOptions(), TODAY,
                                pipeline.list_media(site))
    return pipeline.read_documents(site, ctx, pipeline.load_features(), pipeline.Diagnostics(), state).articles


def cached_articles(site: Path) -> list:
    """The articles a build would read from the document cache now, as it reads them."""
    return read_articles(site, BuildState(site))


def cached_articles_from_scratch(site: Path) -> list:
    """The same articles parsed anew (no cache folder): their bodies are in memory."""
    articles = read_articles(site, BuildState(site, persist=False))
    assert all(type(raw_body(a)) is str for a in articles)
    return articles


def raw_body(article):
    return type(article).__dict__["_raw_body_html"].__get__(article)


def packs(site: Path) -> list[Path]:
    return sorted(cache_folder(site).glob("bodies-*.bin"))


def test_cached_articles_hold_their_bodies_on_disk_and_read_them_back(site, tmp_path):
    assert build(site, tmp_path / "out").ok
    parsed = {a.path: a.body_html for a in cached_articles_from_scratch(site)}
    articles = cached_articles(site)
    stored = [a for a in articles if type(raw_body(a)) is StoredText]
    assert len(stored) == sum(1 for text in parsed.values() if text) >= 3      # every non-empty body
    assert {a.path: a.body_html for a in articles} == parsed
    assert all(a.body_digest for a in articles)


def test_equality_hashing_and_other_picklers_see_the_body_without_reading_a_damaged_pack(site, tmp_path):
    assert build(site, tmp_path / "out").ok
    article = next(a for a in cached_articles(site) if a.path == EDITED.as_posix())
    text = article.body_html
    # pickled anywhere but in the document cache, a body is its text
    assert pickle.loads(pickle.dumps(article)).body_html == text
    assert type(raw_body(pickle.loads(pickle.dumps(article)))) is str
    for pack in packs(site):
        pack.write_bytes(b"x" * pack.stat().st_size)          # every body now fails its check
    with pytest.raises(DamagedCache):
        article.body_html
    twin = cached_articles(site)          # loaded again: other objects, the same damaged pack
    same = next(a for a in twin if a.path == article.path)
    assert same == article and hash(same) == hash(article)    # by body_digest: no read
    fresh = next(a for a in cached_articles_from_scratch(site) if a.path == article.path)
    assert fresh == article
    assert dataclasses.replace(fresh, body_html="<p>Khác.</p>") != fresh


def test_a_damaged_pack_is_noticed_and_the_build_equals_a_clean_one(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).ok
    assert packs(site)
    for pack in packs(site):
        data = bytearray(pack.read_bytes())
        data[len(data) // 2] ^= 0xFF                         # one flipped byte in each pack
        pack.write_bytes(bytes(data))
    append(site, "\nMột câu mới ở cuối bài.\n")
    report = build(site, tmp_path / "elsewhere")             # a new folder: every page reads its body
    assert report.ok, [d.format() for d in report.diagnostics]
    assert_same_tree(tmp_path / "elsewhere", clean_build(site, tmp_path))


def test_a_missing_pack_means_its_shard_is_parsed_again(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).ok
    for pack in packs(site):
        pack.unlink()
    append(site, "\nMột câu mới ở cuối bài.\n")
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert packs(site)                                      # written again
    assert_same_tree(out, clean_build(site, tmp_path))


def test_an_edit_rewrites_one_pack_and_older_objects_still_read_their_own(site, tmp_path):
    assert build(site, tmp_path / "out").ok
    before = cached_articles(site)
    old = {a.path: a.body_html for a in before}
    names = {p.name for p in packs(site)}
    append(site, "\nMột câu mới ở cuối bài.\n")
    assert build(site, tmp_path / "out").ok
    after = {p.name for p in packs(site)}
    assert len(after - names) == 1 and len(names - after) == 1     # the edited article's shard only
    # the objects loaded before the edit read the old pack, removed from the folder but open
    assert {a.path: a.body_html for a in before} == old
    new = {a.path: a.body_html for a in cached_articles(site)}
    assert "Một câu mới ở cuối bài." in new[EDITED.as_posix()]
    assert "Một câu mới ở cuối bài." not in old[EDITED.as_posix()]
    assert {p: t for p, t in new.items() if p != EDITED.as_posix()} == \
        {p: t for p, t in old.items() if p != EDITED.as_posix()}


def test_a_page_fingerprint_holds_the_body_digest_not_the_body(site, tmp_path):
    assert build(site, tmp_path / "out").ok
    article = cached_articles(site)[0]
    other = dataclasses.replace(cached_articles_from_scratch(site)[0], body_html="<p>Khác hẳn.</p>")
    assert value_digest({"body_html": BodyHTML(article)}) == value_digest({"body_html": BodyHTML(article)})
    assert value_digest({"body_html": BodyHTML(article)}) != value_digest({"body_html": BodyHTML(other)})
    assert str(BodyHTML(article)) == article.body_html == BodyHTML(article).__html__()
    buffer = io.BytesIO()
    fingerprint._Pickler(buffer, {}).dump({"body_html": BodyHTML(article)})
    assert article.body_digest.encode() in buffer.getvalue()
    assert b"<p>" not in buffer.getvalue()
