"""bench/RESULTS.md from the raw figures in bench/results/ (written by run.py)."""
from __future__ import annotations

import json
import re
from pathlib import Path

ROW = re.compile(r"^A (user s|sys s|cpu s|wall s|peak MiB)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)")
PEERS = (("hugo", "Hugo"), ("pelican", "Pelican"), ("pelican-cache", "Pelican, cache warm"))


def peer_figures(folder: Path, n: int) -> dict[str, dict]:
    found = {}
    for tool, _ in PEERS:
        path = folder / f"peers-{n}" / f"{tool}-{n}.txt"
        if not path.exists():
            continue
        rows = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            match = ROW.match(line)
            if match:
                rows[match.group(1)] = float(match.group(3))
        if rows:
            found[tool] = rows
    return found


def results_markdown(folder: Path) -> str:
    out = ["# Build speed beside Hugo and Pelican", "",
           "Made by `python bench/run.py --n N` (what each figure is: the docstring of bench/run.py).",
           "Every figure is a median of whole-process runs (interpreter start-up included) timed by",
           "the shared benchmark's `timeit.py`, on the same corpus (`gen_corpus.py --format neutral`), in the",
           "same call as the peers (`run_peers.sh`). The machine is shared: compare only within one table.", ""]
    sizes = sorted({int(p.stem.split("-")[1]) for p in folder.glob("ours-*.json")})
    base = None
    for n in sizes:
        ours: dict = {}
        for part in (f"ours-{n}.json", f"ours-{n}-without-search.json"):   # a later run's figures win
            if (folder / part).exists():
                figures = json.loads((folder / part).read_text(encoding="utf-8"))
                ours = {**ours, **figures, "commands": {**ours.get("commands", {}), **figures.get("commands", {})}}
        peers = peer_figures(folder, n)
        out += section(n, ours, peers, base)
        if n == 10000:
            base = ours
    notes = folder.parent / "NOTES.md"
    if notes.exists():
        out += ["", notes.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(out) + "\n"


def section(n: int, ours: dict, peers: dict, base: dict | None) -> list[str]:
    hugo = peers.get("hugo", {})
    wall = lambda name: (ours.get(name) or {}).get("wall s")        # noqa: E731
    serve = ours.get("serve reload", {})
    small = n <= 10000        # at 100,000 the issue asks only for linear time and memory
    lines = [f"## {n:,} articles ({ours.get('date', '')}, {ours.get('machine', '')})", ""]
    pages = ours.get("pages", {})
    if pages.get("actual"):
        actual, expected = pages["actual"], pages.get("expected", {})
        lines += [f"Pages of the peers' work written by ours: {actual.get('total')} (expected "
                  f"{expected.get('total')}: {'match' if pages.get('match') else 'MISMATCH'}); besides them "
                  f"{actual.get('extra')} more files (author pages, feeds, sitemap, search index, assets).", ""]
    lines += ["| figure | ours | " + " | ".join(label for _, label in PEERS) + " | ratio | target | met |",
              "|---|---:|" + "---:|" * len(PEERS) + "---|---|---|"]
    peer_cells = lambda key: " | ".join(_num(peers.get(t, {}).get(key)) for t, _ in PEERS)   # noqa: E731

    cold = wall("cold")
    ratio = cold / hugo["wall s"] if cold and hugo.get("wall s") else None
    lines.append(_row("cold build, empty cache (s)", cold, peer_cells("wall s"),
                      f"{_num(ratio, 1)} × Hugo" if ratio else "", "≤ 2 × Hugo" if small else "",
                      ratio is not None and ratio <= 2))
    bare = wall("cold, without search index")
    if bare:
        lines.append(_row("… without the search index (s)", bare, " | ".join("" for _ in PEERS),
                          f"{_num(bare / hugo['wall s'], 1)} × Hugo" if hugo.get("wall s") else "", "", None))
    warm = wall("cold output, warm cache")
    lines.append(_row("empty output, warm cache (s)", warm, peer_cells("wall s"),
                      f"{_num(warm / hugo['wall s'], 1)} × Hugo" if warm and hugo.get("wall s") else "", "", None))
    nochange = wall("no change")
    faster = hugo["wall s"] / nochange if nochange and hugo.get("wall s") else None
    lines.append(_row("rebuild, nothing changed (s)", nochange, peer_cells("wall s"),
                      f"Hugo / ours = {_num(faster, 1)}" if faster else "",
                      "≤ 1 s and ≥ 6 × faster than Hugo" if small else "",
                      nochange is not None and nochange <= 1 and (faster or 0) >= 6))
    edit = wall("one edit")
    lines.append(_row("rebuild after editing one article's body (s)", edit, " | ".join("" for _ in PEERS), "",
                      "≤ 1.5 s" if small else "", edit is not None and edit <= 1.5))
    bare_edit = wall("one edit, without search index")
    if bare_edit:
        lines.append(_row("… without the search index (s)", bare_edit, " | ".join("" for _ in PEERS), "", "", None))
    reload = serve.get("reload_median_s")
    lines.append(_row("serve: save → page on disk, reload signalled (s)", reload, " | ".join("" for _ in PEERS),
                      "", "≤ 0.3 s" if small else "", reload is not None and reload <= 0.3))
    peak = (ours.get("cold") or {}).get("peak MiB")
    lines.append(_row("peak memory, cold build (MiB)", peak, peer_cells("peak MiB"), "", "≤ 500 MiB" if n <= 10000
                      else "≤ 3 GiB", peak is not None and peak <= (500 if n <= 10000 else 3072)))
    bare_peak = (ours.get("cold, without search index") or {}).get("peak MiB")
    if bare_peak:
        lines.append(_row("… without the search index (MiB)", bare_peak, " | ".join("" for _ in PEERS), "", "", None))
    if base and n > 10000 and cold and wall("cold") and (base.get("cold") or {}).get("wall s"):
        growth = cold / base["cold"]["wall s"]
        lines.append(_row("cold time / the 10,000 figure", growth, " | ".join("" for _ in PEERS), "",
                          f"≤ {n / 10000 * 1.1:.0f} (linear)", growth <= n / 10000 * 1.1))
    lines += ["", "Commands (timed whole, `$d` a fresh empty folder):", ""]
    root = str(Path(__file__).resolve().parent.parent) + "/"       # shown relative to the repository
    lines += [f"- {name}: `{command.replace(root, '')}`" for name, command in ours.get("commands", {}).items()]
    if serve:
        lines += [f"- serve reload: `bench/serve_reload.py` (devserver.Builder + watcher), each edit: "
                  f"{serve.get('reload_s', serve.get('error'))}"]
    return lines + [""]


def _row(label: str, ours, peers: str, ratio: str, target: str, met) -> str:
    """A table row; a figure with a target but no value says so rather than "no"."""
    if met is None or not target:
        verdict = ""
    elif ours is None:
        verdict = "not measured"
    else:
        verdict = "yes" if met else "**no**"
    return f"| {label} | {_num(ours)} | {peers} | {ratio} | {target} | {verdict} |"


def _num(value, digits: int = 2) -> str:
    if value is None:
        return ""
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"
