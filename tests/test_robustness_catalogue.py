"""Every malformed input of the catalogue, through the real command line in a subprocess.

For each case: a good site is built first; the case breaks a copy of it; `build` must then exit 1
with a message naming the file (and line), print no traceback, and leave the previous output
folder byte-for-byte as it was. Valid oddities (BOM, CRLF, empty body…) must build.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from catalogue_cases import CASES, HONOUR_CASES, ODDITIES, Case
from conftest import ROOT, SITES, TODAY, build

pytestmark = pytest.mark.slow      # about 90 command-line builds: the slow tier

SITE = SITES / "editorial"
HAS_HONOURS = importlib.util.find_spec("generator.honours") is not None


def copy_fixture(target: Path) -> Path:
    """A fresh copy of the fixture site, without any build cache a previous build left in it."""
    shutil.copytree(SITE, target, ignore=shutil.ignore_patterns(".cache"))
    return target


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the sha256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good_output(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("good")
    out = folder / "output"
    report = build(copy_fixture(folder / "site"), out)
    assert report.ok, [d.format() for d in report.diagnostics]
    return out


@dataclass(frozen=True)
class Outcome:
    result: subprocess.CompletedProcess
    before: dict
    after: dict
    leftovers: list[str]


def break_and_build(case: Case, folder: Path, good_output: Path) -> Outcome:
    """Copy the good site and its output, break the site, build it again with the real CLI."""
    folder.mkdir()
    site = folder / "site"
    copy_fixture(site)
    output = folder / "output"
    shutil.copytree(good_output, output)
    before = tree(output)
    case.setup(site)
    result = run_cli("build", "--site", str(site), "--output", str(output), "--today", TODAY.isoformat())
    home = folder / ".output.publish"          # the lock, the record and the standby stay (publication.py)
    leftovers = sorted(p.name for p in folder.iterdir() if p.name not in ("site", "output", home.name))
    leftovers += [f"{home.name}/{p.name}" for p in home.iterdir()
                  if p.name not in ("lock", "record.json", "standby")] if home.is_dir() else []
    return Outcome(result, before, tree(output), leftovers)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, good_output) -> dict[str, Outcome]:
    """Every case, run as separate CLI processes, a few at a time (each waits mostly on start-up)."""
    cases = CASES + (HONOUR_CASES if HAS_HONOURS else [])
    base = tmp_path_factory.mktemp("catalogue")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {c.name: pool.submit(break_and_build, c, base / c.name, good_output) for c in cases}
        return {name: future.result() for name, future in futures.items()}


def assert_reported(case: Case, stderr: str) -> None:
    where = f"{case.path}:{case.line}: " if case.line else f"{case.path}: "
    lines = [line for line in stderr.splitlines() if line.startswith(where) and case.message in line]
    assert lines, f"expected a line starting {where!r} containing {case.message!r}; got:\n{stderr}"
    if case.hint:
        assert any(case.hint in line for line in lines), f"no hint {case.hint!r} in {lines}"


def check_case(case: Case, outcome: Outcome) -> None:
    stderr = outcome.result.stderr
    assert "Traceback" not in stderr, stderr
    assert outcome.result.returncode == case.exit_code, stderr
    assert_reported(case, stderr)
    assert outcome.after == outcome.before, "the previous output folder was changed"
    assert outcome.leftovers == [], "a staging folder was left behind"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_input_is_reported_and_output_kept(case, outcomes):
    check_case(case, outcomes[case.name])


@pytest.mark.parametrize("case", HONOUR_CASES, ids=[c.name for c in HONOUR_CASES])
def test_malformed_honour_roll_is_reported(case, outcomes):
    if not HAS_HONOURS:
        pytest.skip("generator.honours is not part of this tree")
    check_case(case, outcomes[case.name])


def test_catalogue_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES + HONOUR_CASES}) == len(CASES) + len(HONOUR_CASES)


def build_oddity(name: str, folder: Path) -> tuple[subprocess.CompletedProcess, Path]:
    site = folder / "site"
    copy_fixture(site)
    ODDITIES[name](site)
    output = folder / "output"
    return run_cli("build", "--site", str(site), "--output", str(output), "--today", TODAY.isoformat()), output


@pytest.fixture(scope="module")
def oddity_builds(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("oddities")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {name: pool.submit(build_oddity, name, base / name) for name in ODDITIES}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", sorted(ODDITIES))
def test_valid_oddities_build(name, oddity_builds):
    result, output = oddity_builds[name]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    page = output / "hoat-dong-cong-doan" / "khai-mac-giai-bong-chuyen-cong-nhan" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("h1").get_text(strip=True) == "Khai mạc giải bóng chuyền công nhân"


def test_unknown_key_is_a_warning_with_a_hint(tmp_path):
    site = tmp_path / "site"
    copy_fixture(site)
    ODDITIES["unknown-key-only-warns"](site)
    result = run_cli("check", "--site", str(site), "--today", TODAY.isoformat())
    assert result.returncode == 0
    assert ("content/articles/2026/giai-bong-chuyen.md:5: warning: unknown front-matter key 'imagee' is ignored; "
            "did you mean 'image'?") in result.stderr.splitlines()


def test_check_lists_every_problem_at_once_and_writes_nothing(tmp_path):
    site = tmp_path / "site"
    copy_fixture(site)
    for case in (c for c in CASES if c.name in ("category-unknown-typo", "related-unknown", "cover-image-missing")):
        case.setup(site)
    result = run_cli("check", "--site", str(site), "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 3, result.stderr
    assert not (site / "output").exists()


def test_internal_error_is_one_line_naming_the_file(tmp_path):
    """A bug in the generator (simulated: the Markdown renderer raises) gives one line, exit 1."""
    site = tmp_path / "site"
    copy_fixture(site)
    program = ("import sys, generator.markdown_render as m\n"
               "def boom(self, text, extract_lead=False): raise ZeroDivisionError('division by zero')\n"
               "m.MarkdownRenderer.render = boom\n"
               "from generator.cli import main\n"
               "sys.exit(main(sys.argv[1:]))\n")
    args = [sys.executable, "-c", program, "build", "--site", str(site), "--output", str(tmp_path / "out"),
            "--jobs", "1"]
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("content/articles/2026/") and "internal error" in lines[0]
    assert "ZeroDivisionError" in lines[0] and "--debug" in lines[0]
    debug = subprocess.run(args + ["--debug"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert debug.returncode == 1 and "Traceback" in debug.stderr
