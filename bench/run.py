#!/usr/bin/env python3
"""Our build speed beside Hugo and Pelican, measured in one run, written to bench/RESULTS.md.

    python bench/run.py --n 10000 [--runs 3] [--peers hugo hugo-pagefind pelican pelican-cache]
                        [--before REV] [--shared ../shared]

1. The shared benchmark (`<shared>/bench`, read-only) is copied to bench/work/peers-bench/,
   where its run_peers.sh may write its work/ and results/ folders. Pelican and Pagefind (for
   hugo-pagefind) are installed there in a venv the first time (as its README says); Hugo comes
   from apt (`apt-get install hugo`).
2. The neutral corpus of N articles is generated once with its gen_corpus.py. Each run of ours
   works on a copy of it (bench/work/site-ours-N, and site-before-N for --before), so the edits
   below never reach the generated corpus, and later runs still count the expected pages.
3. The peers are timed by run_peers.sh (its timeit.py: clean build into an empty folder, whole
   process, median of RUNS).
4. Ours, with the same timer and corpus, in the same run:
   - cold: empty cache (<site>/.cache removed) and an empty output folder;
   - cold output, warm cache: parsed documents cached, empty output folder (Pelican's "cache warm");
   - no change: the same output folder again, nothing edited;
   - one edit: a sentence appended to one article's body before each build (`printf >>`, in
     the timed command);
   - new article: a new Markdown file in content/articles/ dated now (after every corpus
     article: gen_corpus.py's dates end on 2026-10-31), unique title and file name per run;
   - retitle: `sed -i` gives one article without `slug:` a new title per run (its URL moves);
   - delete: one article file removed per run (the file at a fixed position of the sorted
     listing, leaving out the files edited above and the new articles);
     (the edit figures write into the same output folder as "no change", with the search index)
   - serve reload: bench/serve_reload.py (save -> page on disk and reload signalled);
   - peak memory: largest resident set of one process during the cold build.
   With --before REV, the code of that git revision (`git archive`, compiled like ours) is timed
   in the same run: cold, no change and the four edit figures, into its own output folder, on its
   own copy of the corpus (copied before any edit), stored under "before" in the results.
5. Raw figures go to bench/results/ours-N.json and peers-N/, the table to bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
RESULTS = HERE / "results"
ROW = re.compile(r"^A (user s|sys s|cpu s|wall s|peak MiB)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)")


def main() -> int:
    parser = argparse.ArgumentParser(description="Time our builds beside Hugo and Pelican.")
    parser.add_argument("--n", type=int, default=10000, help="articles in the corpus")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder")
    parser.add_argument("--runs", type=int, default=3, help="counted runs per figure")
    parser.add_argument("--peers", nargs="*", default=["hugo", "hugo-pagefind", "pelican", "pelican-cache"])
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"), help="our interpreter")
    parser.add_argument("--skip-ours", action="store_true", help="only the peers (and the table)")
    parser.add_argument("--without-search", action="store_true",
                        help="time only the build without the search index (Pagefind needs ~0.3 GiB per 1,000 "
                             "articles: at 100,000 it would not fit in this machine's memory)")
    parser.add_argument("--large", action="store_true",
                        help="only cold, no change and the edit figures, one run each, with the search index "
                             "(for 100,000)")
    parser.add_argument("--before", metavar="REV",
                        help="a git revision (main~3, a commit) whose code is timed too, in the same run: cold, "
                             "no change and the edit figures, on its own copy of the corpus")
    parser.add_argument("--quiet-wait", type=int, default=60,
                        help="seconds run_peers.sh waits for low CPU pressure before each tool (its QUIET_WAIT)")
    args = parser.parse_args()
    if args.before and args.without_search:
        parser.error("--before times the build with the search index; leave out --without-search")

    bench = prepare_bench(args.shared.resolve() / "bench")
    code = snapshot_code(args.python)
    # The same code without the search feature: Pagefind re-indexes every page on any change and
    # takes most of the time and memory, so the rest of the pipeline is also timed on its own.
    no_search = snapshot_code(args.python, "snapshot-no-search", ("generator/search.py",))
    before = snapshot_revision(args.python, args.before) if args.before and not args.skip_ours else None
    corpus = prepare_corpus(bench, args.n)
    RESULTS.mkdir(exist_ok=True)
    if args.peers:
        run_peers(bench, args.n, args.peers, args.runs, args.quiet_wait)
    if not args.skip_ours:
        # Both codes start from the same files; neither's edits reach the other's copy or the corpus.
        site = copy_corpus(corpus, WORK / f"site-ours-{args.n}")
        site_before = copy_corpus(corpus, WORK / f"site-before-{args.n}") if before else None
        time.sleep(2.5)     # the copies keep their files' times; past the racy window for anything else
        if args.without_search:
            figures = time_ours_without_search(bench, site, args.n, args.runs, args.python, no_search)
            name = f"ours-{args.n}-without-search.json"
        elif args.large:
            figures = time_ours_large(bench, site, args.n, args.python, code)
            name = f"ours-{args.n}.json"
        else:
            figures = time_ours(bench, site, args.n, args.runs, args.python, code, no_search)
            name = f"ours-{args.n}.json"
        if before:
            snapshot, commit = before
            figures["before"] = {"revision": args.before, "commit": commit,
                                 **time_before(bench, site_before, args.n, 1 if args.large else args.runs,
                                               args.python, snapshot, args.large)}
        (RESULTS / name).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    write_results()
    print(f"wrote {HERE / 'RESULTS.md'}", file=sys.stderr)
    return 0


# ---- set-up ------------------------------------------------------------------------------------
def snapshot_code(python: str, name: str = "snapshot", without: tuple[str, ...] = ()) -> Path:
    """A copy of build.py, generator/ and themes/ taken now: the figures belong to one version of
    the code even while the tree is being edited (the caches key on the code itself). `without`
    leaves feature modules out (features.py skips a bundled feature that is absent).

    Compiled to bytecode by `python`, as pip compiles an installed package (and as the peers'
    own installs are): a shell with PYTHONDONTWRITEBYTECODE set, as this sandbox's is, would
    otherwise make every one of our builds compile the generator's modules again (~0.13 s)."""
    snapshot = WORK / name
    shutil.rmtree(snapshot, ignore_errors=True)
    snapshot.mkdir(parents=True)
    shutil.copy2(ROOT / "build.py", snapshot / "build.py")
    for folder in ("generator", "themes"):
        shutil.copytree(ROOT / folder, snapshot / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for module in without:    # a stub, not a deletion: the editable install would find the live module
        (snapshot / module).write_text('"""Left out of this benchmark snapshot."""\n', encoding="utf-8")
    subprocess.run([python, "-m", "compileall", "-q", str(snapshot / "build.py"), str(snapshot / "generator")],
                   check=True, stdout=subprocess.DEVNULL)
    return snapshot


def snapshot_revision(python: str, revision: str) -> tuple[Path, str]:
    """build.py, generator/ and themes/ as they were at a git revision (for the "before" column),
    compiled as snapshot_code does; with the revision's full commit hash."""
    found = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        raise SystemExit(f"--before: no commit '{revision}' in {ROOT}")
    commit = found.stdout.strip()
    snapshot = WORK / "snapshot-before"
    shutil.rmtree(snapshot, ignore_errors=True)
    snapshot.mkdir(parents=True)
    archive = subprocess.Popen(["git", "-C", str(ROOT), "archive", commit, "build.py", "generator", "themes"],
                               stdout=subprocess.PIPE)
    unpacked = subprocess.run(["tar", "-x", "-C", str(snapshot)], stdin=archive.stdout)
    archive.stdout.close()
    if archive.wait() != 0 or unpacked.returncode != 0:
        raise SystemExit(f"--before: could not unpack build.py, generator/ and themes/ of {revision}")
    subprocess.run([python, "-m", "compileall", "-q", str(snapshot / "build.py"), str(snapshot / "generator")],
                   check=True, stdout=subprocess.DEVNULL)
    return snapshot, commit


def copy_corpus(corpus: Path, target: Path) -> Path:
    """A fresh copy of the generated corpus for one code's figures (file times kept, no cache)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(corpus, target, ignore=shutil.ignore_patterns(".cache"))
    return target


def prepare_bench(shared: Path) -> Path:
    """A writable copy of the shared benchmark (scripts, peer sites), with Pelican in a venv."""
    if not (shared / "run_peers.sh").is_file():
        raise SystemExit(f"no run_peers.sh in {shared}; pass --shared")
    copy = WORK / "peers-bench"
    copy.mkdir(parents=True, exist_ok=True)
    for item in shared.iterdir():
        if item.name in ("work", "results", ".venv") or item.name.startswith("."):
            continue
        target = copy / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("node_modules"))
        else:
            shutil.copy2(item, target)
    for path in copy.rglob("*"):          # the shared copy is read-only; ours must be writable
        path.chmod(path.stat().st_mode | 0o200)
    venv = copy / ".venv"
    if not (venv / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pelican", "markdown"], check=True)
    # Pagefind for hugo-pagefind; run_peers.sh (set -e, pipefail) also stops, silently, before
    # timing any tool when it finds no Pagefind binary in this venv.
    if not any(venv.glob("lib/python3*/site-packages/pagefind_bin/pagefind")):
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pagefind[bin]>=1.5,<1.6"], check=True)
    return copy


def prepare_corpus(bench: Path, n: int) -> Path:
    """The neutral corpus, made once per N in the place run_peers.sh looks for it."""
    site = bench / "work" / f"neutral-{n}"
    if not (site / f".corpus-{n}").exists():
        shutil.rmtree(site, ignore_errors=True)
        site.mkdir(parents=True)
        subprocess.run([sys.executable, str(bench / "gen_corpus.py"), "--n", str(n), "--format", "neutral",
                        "--out", str(site)], check=True, stdout=subprocess.DEVNULL)
        (site / f".corpus-{n}").touch()
        # A build trusts the stamp of a source only if it was written more than 2 s before the build
        # began (state.RACY_SECONDS): a cold build straight after generating would record none, and
        # "no change" would then check every source's contents (16.6 s instead of ~3 s at 100,000).
        time.sleep(2.5)
    return site


def run_peers(bench: Path, n: int, peers: list[str], runs: int, quiet_wait: int) -> None:
    env = {**os.environ, "RUNS": str(runs), "QUIET_WAIT": str(quiet_wait)}
    done = subprocess.run(["bash", str(bench / "run_peers.sh"), str(n), *peers], check=False, env=env)
    if done.returncode:
        print(f"run_peers.sh exited with {done.returncode}: the peers' figures may be missing", file=sys.stderr)
    target = RESULTS / f"peers-{n}"
    target.mkdir(parents=True, exist_ok=True)
    for tool in peers:
        for suffix in (".txt", ".pages.json"):
            found = bench / "results" / f"{tool}-{n}{suffix}"
            if found.exists():
                shutil.copy2(found, target / found.name)
    if (bench / "results" / "versions.txt").exists():
        shutil.copy2(bench / "results" / "versions.txt", target / "versions.txt")


# ---- our figures -------------------------------------------------------------------------------
NEW_PREFIX = "tin-moi-"      # file names of the articles "new article" writes (unique: date +%s%N)
NEW_BODY = ("Sáng nay, Công đoàn cơ sở đã tổ chức thăm hỏi và tặng quà cho đoàn viên có hoàn cảnh khó khăn. "
            "Chủ tịch Công đoàn ghi nhận những đóng góp của người lao động trong năm qua. "
            "Chương trình sẽ tiếp tục được tổ chức tại các khu công nghiệp khác trong tháng tới.")


def edit_steps(site: Path, n: int) -> tuple[dict[str, str], dict[str, dict]]:
    """The shell steps that make one fresh edit each run, to go before the timed build in the same
    command: "one edit", "new article", "retitle", "delete"; and which files they touch. Each
    picks its files by position in the sorted listing, so copies of one corpus get the same edits."""
    folder = site / "content" / "articles"
    articles = sorted(folder.glob("*.md"))
    article = articles[n // 3]                  # "one edit" appends to it; the others leave it alone

    def front(path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        return text[:text.find("\n---", 3)]

    # "retitle": an article whose address follows its title (no slug: line), other than the above
    retitled = next(p for p in articles[2 * n // 3:] + articles[:2 * n // 3]
                    if p != article and not re.search(r"^slug:", front(p), re.M))
    head = front(article)                       # the new article takes its category, tags and author

    def field(key: str, default: str) -> str:
        found = re.search(rf"^{key}: *(.+)$", head, re.M)
        value = found.group(1).strip() if found else ""
        return value if value and not set(value) & set("'%\\") else default
    position = max(1, n // 2)                   # "delete": this place in the listing, 1-based
    steps = {
        "one edit": f'printf "\\nMột câu sửa lúc %s.\\n" "$(date +%s%N)" >> "{article}"',
        "new article": (f"t=$(date +%s%N) && printf '%s\\ntitle: \"Công đoàn thăm hỏi đoàn viên khó khăn, bản tin %s\""
                        f"\\ndate: %s\\ncategory: {field('category', 'viec-lam')}\\ntags: {field('tags', '[]')}"
                        f"\\nauthor: {field('author', 'Ban Biên tập')}\\n---\\n\\n{NEW_BODY}\\n' --- \"$t\" "
                        f'"$(TZ=Asia/Ho_Chi_Minh date +%Y-%m-%dT%H:%M:%S%:z)" > "{folder}/{NEW_PREFIX}$t.md"'),
        "retitle": (f'sed -i "0,/^title: /s/^title: .*/title: \\"Bài viết được đổi tiêu đề lúc $(date +%s%N)\\"/" '
                    f'"{retitled}"'),
        "delete": (f'f=$(LC_ALL=C ls "{folder}" | grep -v -x -F -e "{article.name}" -e "{retitled.name}" '
                   f'| grep -v "^{NEW_PREFIX}" | sed -n "{position}p") && [ -n "$f" ] && rm "{folder}/$f"'),
    }
    touched = {"one edit": {"article": article.relative_to(site).as_posix()},
               "new article": {"folder": folder.relative_to(site).as_posix()},
               "retitle": {"article": retitled.relative_to(site).as_posix()},
               "delete": {"position": position}}
    return steps, touched


def _timed(figures: dict, bench: Path, name: str, command: str, count: int, warmup: int, who: str = "ours") -> None:
    print(f"== {who}: {name}", file=sys.stderr)
    figures["commands"][name] = command
    figures[name] = timer(bench, command, count, warmup)
    print(f"   wall {figures[name].get('wall s')}  peak {figures[name].get('peak MiB')}  "
          f"exit {figures[name].get('exit')}", file=sys.stderr)


def time_ours(bench: Path, site: Path, n: int, runs: int, python: str, code: Path, no_search: Path) -> dict:
    outroot = empty_folder(WORK / f"ours-out-{n}")
    build = f'"{python}" "{code / "build.py"}" --site "{site}" --quiet'
    build_ns = f'"{python}" "{no_search / "build.py"}" --site "{site}" --quiet'
    fresh = f'd=$(mktemp -d "{outroot}/run.XXXXXX") && exec {build} --output "$d"'
    steady, steady_ns = outroot / "steady", outroot / "steady-no-search"
    steps, touched = edit_steps(site, n)
    figures = {"n": n, "date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "commit": working_commit(),
               "commands": {}}
    slow = max(1, runs - 1)      # whole builds of N articles: fewer runs, no warm-up

    def timed(name: str, command: str, count: int = runs, warmup: int = 1) -> None:
        _timed(figures, bench, name, command, count, warmup)

    timed("cold", f'rm -rf "{site}/.cache" && {fresh}', runs, 0)
    figures["pages"] = count_pages(bench, n, newest_run(outroot))
    clean_runs(outroot)
    timed("cold, without search index", f'rm -rf "{site}/.cache" && d=$(mktemp -d "{outroot}/run.XXXXXX") '
                                        f'&& exec {build_ns} --output "$d"', slow, 0)
    clean_runs(outroot)
    timed("cold output, warm cache", fresh, slow, 0)
    clean_runs(outroot)
    subprocess.run(["sh", "-c", f'{build} --output "{steady}" && {build_ns} --output "{steady_ns}"'], check=True)
    time.sleep(2.5)      # past the racy-mtime window, as in real use (state.RACY_SECONDS)
    timed("no change", f'exec {build} --output "{steady}"')
    timed("one edit", f'{steps["one edit"]} && exec {build} --output "{steady}"')
    timed("one edit, without search index", f'{steps["one edit"]} && exec {build_ns} --output "{steady_ns}"')
    for name in ("new article", "retitle", "delete"):
        timed(name, f'{steps[name]} && exec {build} --output "{steady}"')
    for name, about in touched.items():
        figures[name].update(about)
    print("== ours: serve reload", file=sys.stderr)
    probe = subprocess.run([python, str(HERE / "serve_reload.py"), "--site", str(site), "--code", str(code),
                            "--edits", str(max(3, runs))],
                           capture_output=True, text=True)
    try:
        figures["serve reload"] = json.loads(probe.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        figures["serve reload"] = {"error": probe.stderr[-2000:]}
    print(f"   {figures['serve reload']}", file=sys.stderr)
    shutil.rmtree(outroot, ignore_errors=True)
    return figures


def time_ours_without_search(bench: Path, site: Path, n: int, runs: int, python: str, no_search: Path) -> dict:
    """The large-corpus figures: cold, no change and one edit, all without the search index."""
    outroot = empty_folder(WORK / f"ours-out-{n}")
    build = f'"{python}" "{no_search / "build.py"}" --site "{site}" --quiet'
    steady = outroot / "steady-no-search"
    article = sorted((site / "content" / "articles").glob("*.md"))[n // 3]
    figures = {"n": n, "date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "commit": working_commit(),
               "commands": {}}
    commands = {
        # the old tree is moved aside (not deleted) inside the timed command: deleting it is not the build
        "cold, without search index": (f'rm -rf "{site}/.cache" && if [ -e "{steady}" ]; then mv "{steady}" '
                                       f'"{outroot}/old.$$"; fi && exec {build} --output "{steady}"', 0),
        "no change, without search index": (f'exec {build} --output "{steady}"', 0),
        "one edit, without search index": (f'printf "\\nMột câu sửa lúc %s.\\n" "$(date +%s%N)" >> "{article}" '
                                           f'&& exec {build} --output "{steady}"', 1),
    }
    for name, (command, warmup) in commands.items():
        print(f"== ours: {name}", file=sys.stderr)
        figures["commands"][name] = command
        figures[name] = timer(bench, command, runs, warmup)
        print(f"   wall {figures[name].get('wall s')}  peak {figures[name].get('peak MiB')}", file=sys.stderr)
        if name.startswith("cold"):
            figures["pages"] = count_pages(bench, n, steady)
            time.sleep(2.5)     # past the racy-mtime window (state.RACY_SECONDS)
    shutil.rmtree(outroot, ignore_errors=True)
    return figures


def time_ours_large(bench: Path, site: Path, n: int, python: str, code: Path) -> dict:
    """The large-corpus figures the issue asks for (linear time, memory): one cold build, then
    nothing changed and the edit figures into the same folder, with the search index, one run each."""
    outroot = empty_folder(WORK / f"ours-out-{n}")
    steady = outroot / "steady"
    build = f'"{python}" "{code / "build.py"}" --site "{site}" --quiet --output "{steady}"'
    steps, touched = edit_steps(site, n)
    figures = {"n": n, "date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "commit": working_commit(),
               "commands": {}}
    commands = {"cold": f'rm -rf "{site}/.cache" && exec {build}', "no change": f"exec {build}"}
    commands.update((name, f"{step} && exec {build}") for name, step in steps.items())
    for name, command in commands.items():
        _timed(figures, bench, name, command, 1, 0)
        if name == "cold":
            figures["pages"] = count_pages(bench, n, steady)
            time.sleep(2.5)     # past the racy-mtime window (state.RACY_SECONDS)
    for name, about in touched.items():
        figures[name].update(about)
    shutil.rmtree(outroot, ignore_errors=True)
    return figures


def time_before(bench: Path, site: Path, n: int, runs: int, python: str, code: Path, large: bool) -> dict:
    """The --before column: another revision's code (snapshot_revision) on its own copy of the
    corpus, into its own output folder: cold (with the search index), no change and the edit
    figures, with the runs of time_ours (or, for --large, of time_ours_large)."""
    outroot = empty_folder(WORK / f"before-out-{n}")
    steady = outroot / "steady"
    build = f'"{python}" "{code / "build.py"}" --site "{site}" --quiet'
    steps, touched = edit_steps(site, n)
    figures: dict = {"commands": {}}
    if large:
        _timed(figures, bench, "cold", f'rm -rf "{site}/.cache" && exec {build} --output "{steady}"', 1, 0, "before")
        figures["pages"] = count_pages(bench, n, steady)
    else:
        _timed(figures, bench, "cold", f'rm -rf "{site}/.cache" && d=$(mktemp -d "{outroot}/run.XXXXXX") '
                                       f'&& exec {build} --output "$d"', runs, 0, "before")
        figures["pages"] = count_pages(bench, n, newest_run(outroot))
        clean_runs(outroot)
        subprocess.run(["sh", "-c", f'{build} --output "{steady}"'], check=True)
    time.sleep(2.5)     # past the racy-mtime window (state.RACY_SECONDS)
    warmup = 0 if large else 1
    _timed(figures, bench, "no change", f'exec {build} --output "{steady}"', runs, warmup, "before")
    for name, step in steps.items():
        _timed(figures, bench, name, f'{step} && exec {build} --output "{steady}"', runs, warmup, "before")
    for name, about in touched.items():
        figures[name].update(about)
    shutil.rmtree(outroot, ignore_errors=True)
    return figures


def empty_folder(folder: Path) -> Path:
    """`folder`, made anew and empty: where one code's output folders of a run go."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def cpu_pressure_seconds() -> float:
    """Linux PSI: seconds some task waited for a CPU, since boot (0 where PSI is missing)."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        return int(line.split("total=")[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


def timer(bench: Path, command: str, runs: int, warmup: int) -> dict:
    pressure, started = cpu_pressure_seconds(), time.monotonic()
    done = subprocess.run([sys.executable, str(bench / "timeit.py"), "-n", str(runs), "--warmup", str(warmup),
                           "--timeout", "7200", "--", "sh", "-c", command], capture_output=True, text=True)
    rows = {}
    for line in done.stdout.splitlines():
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = float(match.group(3))          # the median
            rows[match.group(1) + " range"] = [float(match.group(2)), float(match.group(4))]
        elif line.startswith("A exit"):
            rows["exit"] = line[len("A exit "):]
    rows["cpu pressure s / call s"] = [round(cpu_pressure_seconds() - pressure), round(time.monotonic() - started)]
    return rows


def newest_run(outroot: Path) -> Path | None:
    runs = sorted(outroot.glob("run.*"), key=lambda p: p.stat().st_mtime)
    return runs[-1] if runs else None


def clean_runs(outroot: Path) -> None:
    for run in outroot.glob("run.*"):
        shutil.rmtree(run, ignore_errors=True)


def count_pages(bench: Path, n: int, output: Path | None) -> dict:
    if output is None:
        return {}
    done = subprocess.run([sys.executable, str(bench / "count_pages.py"), "--n", str(n), "--layout", "ours",
                           "--json", str(output)], capture_output=True, text=True)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"error": done.stderr[-500:]}


def working_commit() -> str:
    """The commit our snapshot was taken from, "+changes" when the tree differed from it."""
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "build.py", "generator", "themes"],
                           capture_output=True, text=True)
    return head.stdout.strip() + (" +changes" if dirty.stdout.strip() else "")


def machine() -> str:
    memory = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    return f"{os.cpu_count()} cores, {int(memory) // 1048576} GiB, Python {sys.version.split()[0]}"


def write_results() -> None:
    from report import results_markdown   # bench/report.py: the table, kept apart to stay small

    (HERE / "RESULTS.md").write_text(results_markdown(RESULTS), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
