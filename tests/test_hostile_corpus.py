"""The hostile-input corpus (tests/hostile/): every build of it must leave no script in any output.

Each `kept-*` file is built into one copy of the editorial fixture, which must succeed; each
`refused-*` file alone into another, which must fail naming that file. Then every output file is
read as a browser or feed reader would read it: parsed HTML, feeds through feedparser, JSON.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import SITES, build
from generator.sanitize import EMBED_HOSTS, PLAYER_FEATURES
from generator.url_policy import parse

CORPUS = Path(__file__).parent / "hostile"
KEPT = sorted(p for p in CORPUS.iterdir() if "kept-" in p.name)
REFUSED = sorted(p for p in CORPUS.iterdir() if "refused-" in p.name)
URL_ATTRIBUTES = ("href", "src", "poster", "action", "formaction", "data", "srcset", "content")
# The theme's own scripts: files under /static/, and JSON-LD data blocks.
SCRIPT_TYPES = {"application/ld+json"}


def place(site: Path, vector: Path) -> str:
    """Copy a corpus file where its kind belongs; returns its path relative to the site."""
    if vector.suffix == ".yaml":
        rel = f"content/honours/2026/{vector.name}"
    elif vector.name.startswith("campaign-"):
        rel = f"content/campaigns/{vector.name}"
    else:
        rel = f"content/articles/2026/{vector.name}"
    (site / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(vector, site / rel)
    return rel


def fresh_site(folder: Path) -> Path:
    site = folder / "site"
    shutil.copytree(SITES / "editorial", site, ignore=shutil.ignore_patterns(".cache"))
    return site


def script_problems(html: str, where: str) -> list[str]:
    """Everything in a page (or fragment) that could run script when shown or clicked."""
    problems = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name == "script":
            own = tag.get("src", "").startswith("/static/") or tag.get("type") in SCRIPT_TYPES
            if not own:
                problems.append(f"{where}: <script> {str(tag)[:80]}")
            if tag.get("type") == "application/ld+json":
                json.loads(tag.string)                 # a data block that breaks out is not JSON
        if tag.name in ("object", "embed", "applet", "base"):
            problems.append(f"{where}: <{tag.name}>")
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                problems.append(f"{where}: {name}= on <{tag.name}>")
            if name in URL_ATTRIBUTES and isinstance(value, str) and _runs_script(value, name, tag):
                problems.append(f"{where}: {name}={value[:60]!r} on <{tag.name}>")
        if tag.name == "iframe":
            src = parse(tag.get("src", ""))
            if src is None or src.hostname not in EMBED_HOSTS or src.username or src.protocol != "https:":
                problems.append(f"{where}: iframe src={tag.get('src')!r}")
            granted = {d.strip().split(" ")[0] for d in tag.get("allow", "").split(";") if d.strip()}
            if granted - PLAYER_FEATURES:
                problems.append(f"{where}: iframe allow={tag.get('allow')!r}")
    return problems


def _runs_script(value: str, name: str, tag) -> bool:
    if name == "content" and tag.name != "meta":
        return False
    text = "".join(c for c in value if c > " ").lower()      # browsers drop tabs and newlines
    return text.startswith(("javascript:", "vbscript:", "data:text", "data:image/svg"))


def output_problems(output: Path) -> list[str]:
    problems = []
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if path.suffix == ".html":
            problems += script_problems(path.read_text("utf-8"), rel)
        elif path.suffix == ".xml" and path.name in ("rss.xml", "atom.xml"):
            problems += feed_problems(path.read_bytes(), rel)
        elif path.suffix == ".json":
            json.loads(path.read_text("utf-8"))     # data only: see test_theme_scripts_insert_data_as_text
    return problems


def feed_problems(data: bytes, where: str) -> list[str]:
    """What a feed reader would show as markup: feedparser's sanitiser must find nothing to strip."""
    raw = feedparser.parse(data, sanitize_html=False)
    clean = feedparser.parse(data, sanitize_html=True)
    assert not raw.bozo, f"{where}: {raw.bozo_exception}"
    problems = []
    if raw.feed.get("subtitle") != clean.feed.get("subtitle"):
        problems.append(f"{where}: channel description holds markup: {raw.feed.get('subtitle')[:80]!r}")
    for before, after in zip(raw.entries, clean.entries):
        for key in ("summary",):
            if before.get(key) != after.get(key):
                problems.append(f"{where}: {key} of {before.get('link')} holds markup: {before.get(key)[:80]!r}")
        for content in before.get("content", []):
            problems += script_problems(content.value, f"{where} content of {before.get('link')}")
    return problems


@pytest.fixture(scope="module")
def kept_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-kept")
    site = fresh_site(folder)
    placed = [place(site, vector) for vector in KEPT]
    report = build(site, folder / "output")
    return report, folder / "output", placed


def test_the_corpus_has_both_kinds():
    assert len(KEPT) >= 4 and len(REFUSED) >= 5


def test_kept_vectors_build(kept_build):
    report, _, _ = kept_build
    assert report.ok, [d.format() for d in report.diagnostics]


def test_no_script_in_any_output_of_the_kept_vectors(kept_build):
    _, output, _ = kept_build
    assert output_problems(output) == []


def test_theme_scripts_insert_data_as_text():
    """JSON files (roll lists, search records) hold editors' text as data, "<img onerror>" included:
    they are safe because no theme script ever turns a string into markup."""
    scripts = sorted((Path(__file__).parent.parent / "themes").glob("*/static/**/*.js"))
    assert scripts
    for script in scripts:
        code = script.read_text("utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in code, f"{script}: {sink}"


def test_hostile_text_is_shown_as_text(kept_build):
    """Stripping is not the whole story: the title's and sapo's characters still reach the reader."""
    _, output, _ = kept_build
    page = output / "thoi-su" / "script-alert-title-script-tieu-de-b-dam-b" / "index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    assert soup.find("h1").get_text(strip=True) == "<script>alert('title')</script> Tiêu đề & <b>đậm</b>"
    feed = feedparser.parse((output / "thoi-su" / "rss.xml").read_bytes())
    entry = next(e for e in feed.entries if "Tiêu đề" in e.title)
    assert entry.summary == ("Sapo có &lt;img src=x onerror=alert('sapo')&gt; &amp; dấu &lt; lớn hơn &gt; "
                             "cũng như &lt;/description&gt;")
    assert BeautifulSoup(entry.summary, "html.parser").get_text() == \
        "Sapo có <img src=x onerror=alert('sapo')> & dấu < lớn hơn > cũng như </description>"


def test_a_player_keeps_only_player_permissions(kept_build):
    _, output, _ = kept_build
    page = output / "thoi-su" / "vecto-kich-ban-trong-than-bai" / "index.html"
    frames = BeautifulSoup(page.read_text("utf-8"), "html.parser").select("main iframe")
    assert [(f["src"], f.get("allow")) for f in frames] == [("https://www.youtube.com/embed/abc123", "autoplay")]


@pytest.mark.parametrize("vector", REFUSED, ids=lambda p: p.name)
def test_refused_vectors_fail_naming_the_file(vector, tmp_path):
    site = fresh_site(tmp_path)
    rel = place(site, vector)
    report = build(site, tmp_path / "output")
    assert not report.ok
    errors = [d for d in report.diagnostics if d.severity == "error"]
    assert errors and all(d.path == rel and d.line for d in errors), [d.format() for d in errors]
    assert not (tmp_path / "output").exists()
