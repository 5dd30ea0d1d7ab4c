#!/usr/bin/env python3
"""Our build speed beside Hugo and Pelican, measured in one run, written to bench/RESULTS.md.

    python bench/run.py --n 10000 [--runs 3] [--peers hugo pelican pelican-cache] [--shared ../shared]

1. The shared benchmark (`<shared>/bench`, read-only) is copied to bench/work/peers-bench/,
   where its run_peers.sh may write its work/ and results/ folders. Pelican is installed there
   in a venv the first time (as its README says); Hugo comes from apt (`apt-get install hugo`).
2. The neutral corpus of N articles is generated once with its gen_corpus.py.
3. The peers are timed by run_peers.sh (its timeit.py: clean build into an empty folder, whole
   process, median of RUNS).
4. Ours, with the same timer and corpus, in the same run:
   - cold: empty cache (<site>/.cache removed) and an empty output folder;
   - cold output, warm cache: parsed documents cached, empty output folder (Pelican's "cache warm");
   - no change: the same output folder again, nothing edited;
   - one edit: a sentence appended to one article's body before each build (`printf >>`, in
     the timed command);
   - serve reload: bench/serve_reload.py (save -> page on disk and reload signalled);
   - peak memory: largest resident set of one process during the cold build.
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
    parser.add_argument("--peers", nargs="*", default=["hugo", "pelican", "pelican-cache"])
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"), help="our interpreter")
    parser.add_argument("--skip-ours", action="store_true", help="only the peers (and the table)")
    parser.add_argument("--without-search", action="store_true",
                        help="time only the build without the search index (Pagefind needs ~0.3 GiB per 1,000 "
                             "articles: at 100,000 it would not fit in this machine's memory)")
    parser.add_argument("--large", action="store_true",
                        help="only cold, no change and one edit, one run each, with the search index (for 100,000)")
    parser.add_argument("--quiet-wait", type=int, default=60,
                        help="seconds run_peers.sh waits for low CPU pressure before each tool (its QUIET_WAIT)")
    args = parser.parse_args()

    bench = prepare_bench(args.shared.resolve() / "bench")
    code = snapshot_code(args.python)
    # The same code without the search feature: Pagefind re-indexes every page on any change and
    # takes most of the time and memory, so the rest of the pipeline is also timed on its own.
    no_search = snapshot_code(args.python, "snapshot-no-search", ("generator/search.py",))
    site = prepare_corpus(bench, args.n)
    RESULTS.mkdir(exist_ok=True)
    if args.peers:
        run_peers(bench, args.n, args.peers, args.runs, args.quiet_wait)
    if not args.skip_ours:
        if args.without_search:
            figures = time_ours_without_search(bench, site, args.n, args.runs, args.python, no_search)
            name = f"ours-{args.n}-without-search.json"
        elif args.large:
            figures = time_ours_large(bench, site, args.n, args.python, code)
            name = f"ours-{args.n}.json"
        else:
            figures = time_ours(bench, site, args.n, args.runs, args.python, code, no_search)
            name = f"ours-{args.n}.json"
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
    subprocess.run(["bash", str(bench / "run_peers.sh"), str(n), *peers], check=False, env=env)
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
def time_ours(bench: Path, site: Path, n: int, runs: int, python: str, code: Path, no_search: Path) -> dict:
    outroot = WORK / f"ours-out-{n}"
    shutil.rmtree(outroot, ignore_errors=True)
    outroot.mkdir(parents=True)
    build = f'"{python}" "{code / "build.py"}" --site "{site}" --quiet'
    build_ns = f'"{python}" "{no_search / "build.py"}" --site "{site}" --quiet'
    fresh = f'd=$(mktemp -d "{outroot}/run.XXXXXX") && exec {build} --output "$d"'
    steady, steady_ns = outroot / "steady", outroot / "steady-no-search"
    article = sorted((site / "content" / "articles").glob("*.md"))[n // 3]
    edit = f'printf "\\nMột câu sửa lúc %s.\\n" "$(date +%s%N)" >> "{article}"'
    figures = {"n": n, "date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "commands": {}}
    slow = max(1, runs - 1)      # whole builds of N articles: fewer runs, no warm-up

    def timed(name: str, command: str, count: int = runs, warmup: int = 1) -> None:
        print(f"== ours: {name}", file=sys.stderr)
        figures["commands"][name] = command
        figures[name] = timer(bench, command, count, warmup)
        print(f"   wall {figures[name].get('wall s')}  peak {figures[name].get('peak MiB')}", file=sys.stderr)

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
    timed("one edit", f'{edit} && exec {build} --output "{steady}"')
    timed("one edit, without search index", f'{edit} && exec {build_ns} --output "{steady_ns}"')
    figures["one edit"]["article"] = article.relative_to(site).as_posix()
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
    outroot = WORK / f"ours-out-{n}"
    shutil.rmtree(outroot, ignore_errors=True)
    outroot.mkdir(parents=True)
    build = f'"{python}" "{no_search / "build.py"}" --site "{site}" --quiet'
    steady = outroot / "steady-no-search"
    article = sorted((site / "content" / "articles").glob("*.md"))[n // 3]
    figures = {"n": n, "date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "commands": {}}
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
    nothing changed and one edit into the same folder, with the search index, one run each."""
    outroot = WORK / f"ours-out-{n}"
    shutil.rmtree(outroot, ignore_errors=True)
    outroot.mkdir(parents=True)
    steady = outroot / "steady"
    build = f'"{python}" "{code / "build.py"}" --site "{site}" --quiet --output "{steady}"'
    article = sorted((site / "content" / "articles").glob("*.md"))[n // 3]
    figures = {"n": n, "date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "commands": {}}
    commands = {
        "cold": f'rm -rf "{site}/.cache" && exec {build}',
        "no change": f"exec {build}",
        "one edit": f'printf "\\nMột câu sửa lúc %s.\\n" "$(date +%s%N)" >> "{article}" && exec {build}',
    }
    for name, command in commands.items():
        print(f"== ours: {name}", file=sys.stderr)
        figures["commands"][name] = command
        figures[name] = timer(bench, command, 1, 0)
        print(f"   wall {figures[name].get('wall s')}  peak {figures[name].get('peak MiB')}", file=sys.stderr)
        if name == "cold":
            figures["pages"] = count_pages(bench, n, steady)
            time.sleep(2.5)     # past the racy-mtime window (state.RACY_SECONDS)
    figures["one edit"]["article"] = article.relative_to(site).as_posix()
    shutil.rmtree(outroot, ignore_errors=True)
    return figures


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


def machine() -> str:
    memory = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    return f"{os.cpu_count()} cores, {int(memory) // 1048576} GiB, Python {sys.version.split()[0]}"


def write_results() -> None:
    from report import results_markdown   # bench/report.py: the table, kept apart to stay small

    (HERE / "RESULTS.md").write_text(results_markdown(RESULTS), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
