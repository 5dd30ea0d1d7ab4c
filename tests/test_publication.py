"""Publication is one step: a build killed at any step of publishing leaves the old site or the
new one, never a mix; the next build equals a clean one. Two site folders building into one
output folder leave no orphans; what killed builds leave beside the folder is swept; a second
build waits for the lock instead of writing at the same time.

The kill is a real SIGKILL, sent by a forked copy of the test process to itself just before its
k-th change to the file system while publishing (os.replace, os.link, os.unlink, os.mkdir,
os.rmdir, a page written and the folder exchange), for every k. Publishing starts when the build
opens the standby to write its pages into (publication.open_standby) or, for a first build, when
it swaps its staged tree in.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, TODAY
from published import clean_build, published
from generator import folder_steps, publication, render, splice

ARTICLES = Path("content/articles")
MUTATIONS = ("replace", "rename", "link", "unlink", "mkdir", "rmdir")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def new_article(site: Path, name: str = "moi") -> None:
    (site / ARTICLES / f"2026/{name}.md").write_text(
        f"---\ntitle: Công đoàn khu công nghiệp tổ chức hội thao {name}\ndate: 2026-11-21 08:00\ncategory: thoi-su\n---\n\n"
        "Hội thao thu hút đông đảo công nhân lao động tham gia.\n", encoding="utf-8")


def edits(site: Path) -> None:
    """A new article, a body edit and a deletion: pages, lists, feeds and search all change."""
    new_article(site)
    with (site / ARTICLES / "2026/thoi-su/trao-qua.md").open("a", encoding="utf-8") as stream:
        stream.write("\nCông đoàn cơ sở cùng tham gia trao quà.\n")
    (site / ARTICLES / "2026/trao-qua-nu-cong.md").unlink()


def cli_build(site: Path, out: Path) -> int:
    from generator.cli import main
    return main(["build", "--site", str(site), "--output", str(out), "--today", TODAY.isoformat(), "--jobs", "1",
                 "--quiet"])


def killed_build(site: Path, out: Path, kill_at: int | None) -> int:
    """Build in a forked child that SIGKILLs itself before its `kill_at`-th change while
    publishing. Returns the number of changes it made (when it was not killed), or -1."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:                                     # pragma: no cover (the child)
        os.setpgid(0, 0)          # a group of its own: what it started (Pagefind) is killed with it
        os.close(reader)
        try:
            count = _count_publication_changes(kill_at, out)
            status = cli_build(site, out)
            os.write(writer, json.dumps([status, count[0]]).encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as stream:
        said = stream.read()
    _, status = os.waitpid(child, 0)
    try:
        os.killpg(child, signal.SIGKILL)               # a real kill leaves no helper running either
    except ProcessLookupError:
        pass
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return -1
    exit_status, count = json.loads(said)
    assert exit_status == 0
    return count


def _count_publication_changes(kill_at: int | None, out: Path) -> list[int]:
    """Patch the child: count file-system changes to the output and its publication folder made
    while publishing (not the cache's), SIGKILL at `kill_at`."""
    count, active = [0], [False]
    watched = (str(out), str(out.parent / f".{out.name}.publish"))

    def counted(real):
        def change(*args, **kwargs):
            if active[0] and any(os.fsdecode(arg).startswith(watched) for arg in args[:2]
                                 if isinstance(arg, (str, bytes, os.PathLike))):
                if count[0] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                count[0] += 1
            return real(*args, **kwargs)
        return change

    for name in MUTATIONS:
        setattr(os, name, counted(getattr(os, name)))
    folder_steps.swap = counted(folder_steps.swap)
    render.write_new = counted(render.write_new)          # pages written into the standby
    splice.write_new = counted(splice.write_new)
    real_open = publication.Publication.open_standby

    def opening(self, *args, **kwargs):                   # active until the publication ends
        active[0] = True
        return real_open(self, *args, **kwargs)
    publication.Publication.open_standby = opening
    for name in ("publish_whole", "publish_changes"):
        real = getattr(publication.Publication, name)

        def publishing(self, *args, _real=real, **kwargs):
            active[0] = True
            try:
                return _real(self, *args, **kwargs)
            finally:
                active[0] = False
        setattr(publication.Publication, name, publishing)
    return count


def snapshot(work: Path, keep: Path) -> None:
    """Copy the working folder (site, output and its publication folder) keeping hard links."""
    shutil.rmtree(keep, ignore_errors=True)
    subprocess.run(["cp", "-a", str(work), str(keep)], check=True)


def restore(keep: Path, work: Path) -> None:
    """The snapshot back in place; the folders are new, so the record gets their inodes."""
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(["cp", "-a", str(keep), str(work)], check=True)
    record_file = work / ".out.publish" / "record.json"
    if record_file.exists():
        record = json.loads(record_file.read_text())
        for key, folder in (("live", work / "out"), ("standby", work / ".out.publish" / "standby")):
            if record.get(key) and folder.exists():
                record[key][1] = os.stat(folder).st_ino
        record_file.write_text(json.dumps(record))


def prepared(copy_site, tmp_path: Path, builds_before: int) -> tuple[Path, Path, Path]:
    """The basic site built `builds_before` times (each after a small edit), then edited."""
    site = copy_site("basic")
    work = tmp_path / "work"
    work.mkdir()
    site = Path(shutil.move(str(site), work / "site"))
    out = work / "out"
    for number in range(builds_before):
        if number:
            new_article(site, f"truoc-{number}")
        assert cli_build(site, out) == 0
    edits(site)
    return work, site, out


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="kills a forked build (POSIX)")
@pytest.mark.parametrize("builds_before, standby_lost", [(0, False), (2, False), (2, True)],
                         ids=["first build", "standby kept", "standby lost"])
def test_a_build_killed_at_any_step_of_publishing_leaves_the_old_or_the_new_site(copy_site, tmp_path,
                                                                               builds_before, standby_lost):
    """The first build swaps a complete tree in (there was no output) and links the standby to
    it; the next builds change the standby where it differs and swap it in; a standby lost (or
    left unknown by a kill) is made again by linking every published file."""
    work, site, out = prepared(copy_site, tmp_path, builds_before)
    if standby_lost:
        shutil.rmtree(work / ".out.publish" / "standby")
    old = tree(out) if out.exists() else None
    keep = tmp_path / "keep"
    snapshot(work, keep)
    steps = killed_build(site, out, None)
    new = tree(out)
    assert steps > 0 and new != old
    clean = clean_build(site, tmp_path / "clean")
    assert published(out) == clean
    # Making the standby links every published file (~280 changes here): every third is enough.
    for kill_at in range(0, steps, 3 if standby_lost or not builds_before else 1):
        restore(keep, work)
        assert killed_build(site, out, kill_at) == -1
        after = tree(out) if out.exists() else None
        assert after in (old, new), f"killed at change {kill_at} of {steps}: a mix of old and new"
        if kill_at in (0, steps // 2, steps - 1):
            assert cli_build(site, out) == 0
            assert published(out) == clean, f"the build after a kill at change {kill_at} differs from a clean one"


@pytest.mark.parametrize("edited", [True, False], ids=["first site edited", "nothing changed"])
def test_pages_another_site_left_in_the_folder_are_removed(copy_site, tmp_path, edited):
    """Even when nothing changed in the first site since its last build there."""
    first, second = copy_site("basic"), copy_site("editorial")
    out = tmp_path / "shared-output"
    assert cli_build(first, out) == 0
    time.sleep(2.1)                   # past the racy-mtime window: "nothing changed" may trust stamps
    assert cli_build(second, out) == 0
    if edited:
        edits(first)
    assert cli_build(first, out) == 0
    assert published(out) == clean_build(first, tmp_path / "clean")


def test_what_killed_builds_left_beside_the_output_is_swept(copy_site, tmp_path):
    site = copy_site("basic")
    out = tmp_path / "out"
    assert cli_build(site, out) == 0
    home = tmp_path / ".out.publish"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = [home / f"staging-{dead.pid}-0a1b2c3d", home / f"record-{dead.pid}.tmp",
            tmp_path / ".out.new-123-4", tmp_path / ".out.old-123-5"]
    for folder in left:
        if folder.suffix == ".tmp":
            folder.write_text("{}")
        else:
            (folder / "bai-viet").mkdir(parents=True)
            (folder / "bai-viet" / "index.html").write_text("<p>cũ</p>")
    new_article(site)
    assert cli_build(site, out) == 0
    assert [path for path in left if path.exists()] == []
    assert published(out) == clean_build(site, tmp_path / "clean")


@pytest.mark.skipif(folder_steps.fcntl is None, reason="the lock test holds an flock (POSIX)")
@pytest.mark.slow
def test_a_second_build_waits_for_the_lock(copy_site, tmp_path):
    site = copy_site("basic")
    out = tmp_path / "out"
    assert cli_build(site, out) == 0
    before = tree(out)
    new_article(site)
    lock = folder_steps.lock(tmp_path / ".out.publish" / "lock")      # another build holds it
    try:
        process = subprocess.Popen([sys.executable, "build.py", "--site", str(site), "--output", str(out),
                                    "--today", TODAY.isoformat(), "--jobs", "1", "--quiet"],
                                   cwd=ROOT, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert process.poll() is None, "the build did not wait for the lock"
        assert tree(out) == before
    finally:
        folder_steps.unlock(lock)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "another build is publishing into this folder" in err
    assert published(out) == clean_build(site, tmp_path / "clean")


def test_the_standby_shares_unchanged_files_with_the_published_site(copy_site, tmp_path):
    """The cost of the standby is its folders: every unchanged file is the published one."""
    site = copy_site("basic")
    out = tmp_path / "out"
    assert cli_build(site, out) == 0
    new_article(site)
    assert cli_build(site, out) == 0
    standby = tmp_path / ".out.publish" / "standby"
    now, before = tree(out), tree(standby)
    same = [rel for rel in now if before.get(rel) == now[rel]]
    assert len(same) > len(now) // 2 and set(now) - set(before), "the standby is the build before"
    assert all(os.stat(out / rel).st_ino == os.stat(standby / rel).st_ino for rel in same)
    assert all(os.stat(out / rel).st_ino != os.stat(standby / rel).st_ino for rel in set(now) & set(before)
               if rel not in same)


def test_pages_written_into_the_standby_never_change_the_published_site(copy_site, tmp_path, monkeypatch):
    """Pages go straight into the standby, whose unchanged files are hard links to the published
    ones: writing into such a file would change the live site before the swap."""
    site = copy_site("basic")
    out = tmp_path / "out"
    assert cli_build(site, out) == 0
    new_article(site, "mot")
    assert cli_build(site, out) == 0          # the standby now holds the first build, linked where the same
    new_article(site, "hai")
    live = tree(out)
    seen = {}
    real = publication.Publication.publish_changes

    def publishing(self, pending, kept, deleted, manifest, in_standby=frozenset()):
        seen["pages written into the standby"] = len(in_standby)
        seen["live site before the swap"] = tree(out)
        return real(self, pending, kept, deleted, manifest, in_standby)
    monkeypatch.setattr(publication.Publication, "publish_changes", publishing)
    assert cli_build(site, out) == 0
    assert seen["pages written into the standby"] > 5
    assert seen["live site before the swap"] == live
    assert published(out) == clean_build(site, tmp_path / "clean")
