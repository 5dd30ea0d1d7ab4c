"""Seeded random sequences of edits of every kind: after each step, the incremental build equals
a clean build of the same files (pages byte for byte, the search index by its records).

Each step applies one to three edits drawn from EDITS (titles, bodies, dates, categories, tags,
authors, drafts, deletions, new and renamed files, roll entries, campaigns, pages, site.yaml,
templates, UI strings, media), then builds into the same output folder either as a new process
would (the caches on disk) or as `serve` does (one BuildState kept across builds), and compares
with the edited site built from nothing. A failure names the seed and the edits so far, which
replay the case exactly.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import SITES, TODAY, build
from generator import state as state_module
from generator.pipeline import BuildOptions, build_site
from generator.state import BuildState
from generator.themes import BUNDLED_THEMES
from published import clean_build, published

ARTICLES = Path("content/articles")
CATEGORIES = ("thoi-su", "hoat-dong-cong-doan", "nu-cong")
TAGS = ("Thể thao", "Sáng kiến", "An toàn lao động", "Nữ công", "Việc làm", "Đối thoại")
AUTHORS = ("Hà Linh", "Quốc Bảo", "Minh Thư", "Thu Trang")
WORDS = ("công nhân", "hội thao", "sáng kiến", "an toàn", "nữ công", "đối thoại", "phúc lợi", "khen thưởng",
         "nhà máy", "ca đêm", "đoàn viên", "thi đua", "mái ấm", "học bổng", "tuyên dương")
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Đặng Thị Giang")


def editorial_site(folder: Path) -> Path:
    """The editorial fixture on a child theme (for template and UI string edits), without the
    links between its articles, so that any article may be retitled, moved or deleted."""
    shutil.copytree(SITES / "editorial", folder, ignore=shutil.ignore_patterns(".cache"))
    theme = folder / "themes" / "rieng"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: rieng\nparent: congdoan\nstrings:\n  vi:\n    other_news: Tin khác\n",
                                      encoding="utf-8")
    footer = (BUNDLED_THEMES / "congdoan" / "templates" / "_footer.html").read_text(encoding="utf-8")
    (theme / "templates" / "_footer.html").write_text(footer + "<!-- rieng -->\n", encoding="utf-8")
    config = folder / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("theme: congdoan", "theme: rieng"), encoding="utf-8")
    meeting = folder / ARTICLES / "2026/hoi-nghi-nguoi-lao-dong.md"
    text = meeting.read_text(encoding="utf-8").replace("related: [trao-qua-cho-nu-cong-nhan]\n", "")
    meeting.write_text(re.sub(r" Xem thêm\n\[.*", "", text, flags=re.S) + "\n", encoding="utf-8")
    return folder


# ---- editing the files ----------------------------------------------------------------------------
def articles(site: Path) -> list[Path]:
    return sorted((site / ARTICLES).rglob("*.md"))


def published_articles(site: Path) -> list[Path]:
    return [p for p in articles(site) if "\ndraft: true\n" not in p.read_text(encoding="utf-8")]


def set_key(path: Path, key: str, line: str | None) -> None:
    """Set (or, with None, remove) one key of a Markdown file's front matter."""
    text = path.read_text(encoding="utf-8")
    head, _, body = text[4:].partition("\n---\n")
    lines = [item for item in head.split("\n") if not item.startswith(f"{key}:")]
    if line is not None:
        lines.append(f"{key}: {line}")
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def phrase(rng: random.Random, serial: int) -> str:
    words = rng.sample(WORDS, 3)
    return f"{words[0].capitalize()} {words[1]} và {words[2]} số {serial}"


def edit_title(site, rng, serial):
    set_key(rng.choice(articles(site)), "title", phrase(rng, serial))


def edit_body(site, rng, serial):
    path = rng.choice(articles(site) + [site / "content/pages/gioi-thieu.md"])
    with path.open("a", encoding="utf-8") as stream:
        stream.write(f"\n{phrase(rng, serial)} được đoàn viên hưởng ứng.\n")


def edit_date(site, rng, serial):
    day = rng.randint(1, 28)
    set_key(rng.choice(articles(site)), "date", f"2026-{rng.randint(1, 11):02d}-{day:02d} {rng.randint(6, 20):02d}:15")


def edit_category(site, rng, serial):
    set_key(rng.choice(articles(site)), "category", rng.choice(CATEGORIES))


def edit_tags(site, rng, serial):
    set_key(rng.choice(articles(site)), "tags", "[" + ", ".join(rng.sample(TAGS, rng.randint(0, 3))) + "]")


def edit_author(site, rng, serial):
    set_key(rng.choice(articles(site)), "author", "[" + ", ".join(rng.sample(AUTHORS, rng.randint(1, 2))) + "]")


def edit_draft(site, rng, serial):
    path = rng.choice(articles(site))
    drafted = "\ndraft: true\n" in path.read_text(encoding="utf-8")
    if drafted or len(published_articles(site)) > 1:
        set_key(path, "draft", None if drafted else "true")


def delete_article(site, rng, serial):
    live = published_articles(site)
    candidates = [p for p in articles(site) if p not in live or len(live) > 1]   # one article stays
    if candidates:
        rng.choice(candidates).unlink()


def new_article(site, rng, serial):
    folder = site / ARTICLES / rng.choice(("2025", "2026", "2026/moi"))
    folder.mkdir(parents=True, exist_ok=True)
    tags = ", ".join(rng.sample(TAGS, rng.randint(0, 2)))
    image = "image: /media/anh/hoi-nghi.jpg\n" if rng.random() < 0.3 else ""
    (folder / f"bai-{serial}.md").write_text(
        f"---\ntitle: {phrase(rng, serial)}\ndate: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d} 09:00\n"
        f"category: {rng.choice(CATEGORIES)}\ntags: [{tags}]\nauthor: {rng.choice(AUTHORS)}\n{image}---\n\n"
        f"{phrase(rng, serial + 1)} diễn ra sôi nổi.\n", encoding="utf-8")


def rename_article(site, rng, serial):
    path = rng.choice(articles(site))
    target = site / ARTICLES / rng.choice(("2025", "2026")) / f"doi-ten-{serial}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    path.rename(target)


def edit_roll(site, rng, serial):
    roll = site / "content/honours/2026/cong-nhan-gioi-2026.yaml"
    text = roll.read_text(encoding="utf-8")
    names = re.findall(r"^  - name: (.+)$", text, re.M)
    choice = rng.random()
    if choice < 0.4 and names:
        text = text.replace(f"  - name: {rng.choice(names)}\n", f"  - name: {rng.choice(NAMES)} {serial}\n", 1)
    elif choice < 0.7 or len(names) < 2:
        text = text.rstrip("\n") + (f"\n  - name: {rng.choice(NAMES)} {serial}\n    unit: Công ty May Bến Đá\n"
                                    f"    award: Công nhân giỏi\n")
    else:
        entries = re.split(r"(?m)^(?=  - name: )", text)
        del entries[rng.randrange(1, len(entries))]
        text = "".join(entries)
        text = text if text.endswith("\n") else text + "\n"
    roll.write_text(text, encoding="utf-8")


def edit_campaign(site, rng, serial):
    campaign = site / "content/campaigns/gioi-viec-nuoc-2026.md"
    text = campaign.read_text(encoding="utf-8")
    if rng.random() < 0.5:
        text = re.sub(r"achieved: \d+", f"achieved: {rng.randint(0, 200)}", text)
    else:
        text += f"\n{phrase(rng, serial)} lan tỏa trong các công đoàn cơ sở.\n"
    campaign.write_text(text, encoding="utf-8")


def edit_site_yaml(site, rng, serial):
    config = site / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"^tagline: .*$", f"tagline: {phrase(rng, serial)}", text, flags=re.M), encoding="utf-8")


def edit_template(site, rng, serial):
    footer = site / "themes/rieng/templates/_footer.html"
    text = footer.read_text(encoding="utf-8")
    footer.write_text(re.sub(r"<!-- rieng.*-->\n$", f"<!-- rieng {serial} -->\n", text), encoding="utf-8")


def edit_ui_string(site, rng, serial):
    theme = site / "themes/rieng/theme.yaml"
    text = theme.read_text(encoding="utf-8")
    theme.write_text(re.sub(r"other_news: .*", f"other_news: Tin khác {serial}", text), encoding="utf-8")


def edit_media(site, rng, serial):
    """A new picture shown by an article, or another picture saved over the one in use."""
    pictures = sorted((SITES / "basic/content/media/anh").glob("*.jpg"))
    if rng.random() < 0.5:
        shutil.copyfile(rng.choice(pictures), site / "content/media/anh/hoi-nghi.jpg")
    else:
        shutil.copyfile(rng.choice(pictures), site / f"content/media/anh/anh-{serial}.jpg")
        set_key(rng.choice(articles(site)), "image", f"/media/anh/anh-{serial}.jpg")


EDITS = {f.__name__: f for f in (edit_title, edit_body, edit_date, edit_category, edit_tags, edit_author,
                                 edit_draft, delete_article, new_article, rename_article, edit_roll, edit_campaign,
                                 edit_site_yaml, edit_template, edit_ui_string, edit_media)}


# ---- the comparison ----------------------------------------------------------------------------
def run_sequence(seed: int, steps: int, tmp_path: Path) -> int:
    """Returns how many pages the sequence's builds spliced (page_pass.py) instead of rendering."""
    rng = random.Random(seed)
    site = editorial_site(tmp_path / "site")
    out = tmp_path / "out"
    kept = BuildState(site)                     # as `serve` keeps it across builds
    assert build(site, out).ok
    done: list[str] = []
    spliced = 0
    for step in range(steps):
        for _ in range(rng.randint(1, 3)):
            name = rng.choice(sorted(EDITS))
            EDITS[name](site, rng, len(done) + 1)
            done.append(name)
        as_serve = rng.random() < 0.5
        report = build_site(site, BuildOptions(output=out, today=TODAY), state=kept if as_serve else None)
        where = f"seed {seed}, step {step} ({'serve' if as_serve else 'new process'}), edits so far: {done}"
        assert report.ok, f"{where}: {[d.format() for d in report.diagnostics if d.severity == 'error']}"
        spliced += report.spliced
        got, want = published(out), clean_build(site, tmp_path / "clean")
        assert sorted(got[0]) == sorted(want[0]), (f"{where}: only in incremental "
                                                   f"{sorted(set(got[0]) - set(want[0]))}, only in clean "
                                                   f"{sorted(set(want[0]) - set(got[0]))}")
        differing = [path for path in want[0] if got[0][path] != want[0][path]]
        assert not differing, f"{where}: files differ from a clean build: {differing}"
        assert got[1] == want[1], f"{where}: the search index differs from a clean build's"
    return spliced


def test_random_edits_build_as_a_clean_build_would(tmp_path):
    assert run_sequence(2026, 6, tmp_path) > 0      # the splicing path is among those compared


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_random_edit_sequences_build_as_a_clean_build_would(tmp_path, seed):
    run_sequence(seed, 10, tmp_path)


@pytest.mark.slow
def test_random_edits_with_trusted_stamps_build_as_a_clean_build_would(tmp_path, monkeypatch):
    """Sources' stamps trusted at once (no racy-mtime wait): a changed file is still seen."""
    monkeypatch.setattr(state_module, "RACY_SECONDS", 0)
    run_sequence(77, 10, tmp_path)
