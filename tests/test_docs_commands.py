"""Every command in README.md and docs/*.md works as written on a fresh machine.

The convention the documents follow: nothing needs an activated virtual environment. A command
names the venv's own programs (`.venv/bin/python build.py check`; on Windows
`.venv\\Scripts\\python build.py check`); a bare `python`, `python3` or `py -3` only ever creates
the venv (`python3 -m venv .venv`).

What counts as a command
------------------------
- Fenced blocks tagged ``sh``, ``bash``, ``shell`` (every line is a command, blank lines and
  ``# comments`` aside; a line ending in a backslash goes on) or ``console`` (only the lines that
  start with ``$ ``): POSIX commands, run by `test_command_runs_as_written`.
- Fenced blocks tagged ``powershell`` (or ``ps1``, ``pwsh``): Windows commands. They cannot run
  here; `test_powershell_block_has_a_posix_twin` checks each one statically instead: it must sit
  right before or after an sh block with the same steps (``py -3`` for ``python3``,
  ``.venv\\Scripts\\`` for ``.venv/bin/``, ``python -m pip`` for ``pip``, ``;`` for ``&&``), and
  use no ``&&`` or ``||`` (Windows PowerShell 5.1 cannot parse them).
- An untagged fenced block whose first line (comments aside) starts like a command (``python``,
  ``py``, ``pip``, ``pytest``, ``.venv/``, ``congdoan-ssg``, ``build.py``) is run as a POSIX
  block, and `test_command_blocks_are_tagged` asks for its tag.
- Inline code spans that start like a command and have an argument (`.venv/bin/python build.py
  check`, not `build.py` or `py`) are checked statically, with the commands of the blocks
  (`test_inline_commands_need_no_activated_venv`): they often hold placeholders (FILE, KEY).

Markers: an HTML comment on the line right before the opening fence (invisible once rendered)
---------------------------------------------------------------------------------------------
- ``<!-- docs-test: skip REASON -->``: the block is not run (it is still checked statically),
  e.g. an `rsync` to a server.
- ``<!-- docs-test: needs FILE -->``: before the block runs, a small honour list FILE (``.xlsx`` or
  ``.csv``, as offices keep them) is written at the copy's root, for `import-honours FILE`.
- Without a marker: a command that runs the test suite (``-m pytest``) is never run (it is this
  suite; `.ci/run` runs the README's command); a command whose `build.py`/`congdoan-ssg`
  subcommand is ``serve`` never returns, so it is started, must print the address it serves
  ("Đang phục vụ http://…"), that address must answer HTTP 200, then it gets Ctrl+C (SIGINT) and
  must exit 0. When its port (``--port``, default 8000) is taken by another program the test is
  skipped, not failed: a busy port says nothing about the documents.

How the POSIX commands run (marked ``slow``: about 2 minutes, most of it `pip install` and the
first, cold build of the sample site with its photos)
----------------------------------------------------------------------------------------------
- The working tree (`git ls-files`: tracked and untracked-but-not-ignored files, so uncommitted
  edits to the documents count; never .venv, .cache or output) is copied to a temporary folder.
- Its `.venv` is made once per session with the README's set-up steps (`python3 -m venv .venv`,
  `.venv/bin/pip install -e .`; pip reuses its cache), so that a command run alone (``-k``) finds
  it; the quick start then runs as written on top of it.
- Each distinct command runs once, with ``bash -c``, with the copy's root as working folder, in
  document order: README.md first, then docs/*.md by name (so `new article` runs before `check`).
- The environment is a fresh machine's: PATH starts with a folder whose `python` and `python3`
  are a bare venv of the base interpreter (no packages: a plain `python build.py` fails with
  ModuleNotFoundError, as it does for an editor) and whose `pip`/`pip3` are missing commands;
  every virtual environment's folder is removed from PATH; VIRTUAL_ENV, PYTHONPATH and
  PYTHONHOME are unset.
- A command that exits with a status other than 0 fails its test, with its output.
"""
from __future__ import annotations

import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSIX_TAGS = {"sh", "bash", "shell", "console"}
POWERSHELL_TAGS = {"powershell", "ps1", "pwsh"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<what>skip|needs)\b\s*(?P<arg>.*?)\s*-->\s*$")
INLINE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# How a command starts: the programs a reader types in these documents.
COMMAND_START = re.compile(r"^(?:\$\s+)?(?:python3?|py|pip3?|pytest|congdoan-ssg|\.?/?build\.py|\.venv[/\\])(?:\s|$|[/\\])")
SERVE = re.compile(r"(?:build\.py|congdoan-ssg)\s+serve\b")
SERVING = re.compile(r"Đang phục vụ (http://\S+)")
# A bare interpreter may only create the venv; everything else goes through the venv's programs.
VENV_PROGRAM = re.compile(r"^\.venv(?:/bin/|\\Scripts\\)(?:python|pip|pytest|congdoan-ssg)(?:\.exe)?$")
# An inline span that only names a program or a file ("`py`", "`build.py`", "`py -3.12`") is no command.
NAME_ONLY = re.compile(r"^(?:\S+|py -3(?:\.\d+)?)$")
MAKES_VENV = re.compile(r"^(?:python3?|py(?: -3(?:\.\d+)?)?)\s+-m\s+venv\b")
RUN_TIMEOUT = 420        # seconds; the quick start installs the dependencies
SERVE_STOP_TIMEOUT = 60


@dataclass(frozen=True)
class Block:
    doc: str                 # "README.md", "docs/huong-dan-bien-tap.md"
    line: int                # of the opening fence
    tag: str                 # the info string's first word, lower case ("" when untagged)
    lines: tuple[tuple[int, str], ...]   # (line number, text) of the content, dedented
    marker: tuple[str, str] | None       # ("skip", reason) or ("needs", file)

    @property
    def kind(self) -> str:
        if self.tag in POSIX_TAGS:
            return "posix"
        if self.tag in POWERSHELL_TAGS:
            return "powershell"
        if not self.tag and looks_like_commands(self):
            return "posix"          # untagged, taken as sh (and reported by test_command_blocks_are_tagged)
        return "other"


@dataclass(frozen=True)
class Command:
    text: str
    doc: str
    line: int
    block: Block


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def parse(path: Path) -> tuple[list[Block], list[tuple[int, str]]]:
    """The fenced blocks of a Markdown file and its inline code spans outside them."""
    doc = path.relative_to(ROOT).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    spans: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            spans.extend((index + 1, m.group(2).strip()) for m in INLINE.finditer(lines[index]))
            index += 1
            continue
        fence, indent, opened = opening.group("fence"), len(opening.group("indent")), index + 1
        before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        found = MARKER.match(before)
        marker = (found.group("what"), found.group("arg")) if found else None
        content = []
        index += 1
        while index < len(lines):
            stripped = lines[index].strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                break
            content.append((index + 1, lines[index][indent:] if lines[index][:indent].isspace() else lines[index]))
            index += 1
        blocks.append(Block(doc, opened, opening.group("info").lower(), tuple(content), marker))
        index += 1
    return blocks, spans


def looks_like_commands(block: Block) -> bool:
    first = next((text.strip() for _, text in block.lines if text.strip() and not text.strip().startswith("#")), "")
    return bool(COMMAND_START.match(first))


def commands_of(block: Block) -> list[Command]:
    """The commands of a POSIX or PowerShell block, continuation lines joined."""
    found: list[Command] = []
    pending, start = "", 0
    for number, text in block.lines:
        line = text.rstrip()
        if block.tag == "console":
            if not line.startswith("$ "):
                continue
            line = line[2:]
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not pending:
            start = number
        if line.endswith("\\") and block.kind == "posix":
            pending += line[:-1] + " "
            continue
        found.append(Command((pending + line).strip(), block.doc, start, block))
        pending = ""
    return found


def all_blocks() -> list[Block]:
    return [block for path in documents() for block in parse(path)[0]]


def posix_commands() -> list[Command]:
    """Every POSIX command of the documents, once, in document order."""
    seen: dict[str, Command] = {}
    for block in all_blocks():
        if block.kind == "posix":
            for command in commands_of(block):
                seen.setdefault(command.text, command)
    return list(seen.values())


def steps(command: str, powershell: bool = False) -> list[str]:
    """A command line as its steps: `a && b` (sh) or `a; b` (PowerShell) -> [a, b]."""
    parts = re.split(r"\s*;\s*", command) if powershell else re.split(r"\s*(?:&&|\|\||;)\s*", command)
    return [part.strip() for part in parts if part.strip()]


def program(step: str) -> str:
    return step.split()[0] if step.split() else ""


# ---- static checks (fast) ----------------------------------------------------------------------

def test_command_blocks_are_tagged():
    untagged = [f"{b.doc}:{b.line}: {b.lines[0][1].strip()}" for b in all_blocks()
                if not b.tag and b.kind == "posix"]
    assert not untagged, ("fenced blocks holding commands must say their shell (```sh, ```console or "
                          "```powershell) so that this test runs or checks them:\n" + "\n".join(untagged))


def test_inline_commands_need_no_activated_venv():
    """A command in the text, in a table or in a block names the venv's program: `.venv/bin/python
    build.py …` (Windows: `.venv\\Scripts\\python build.py …`), never a bare `python build.py` that
    works only in a shell where the venv was activated."""
    wrong = []
    for path in documents():
        blocks, spans = parse(path)
        doc = path.relative_to(ROOT).as_posix()
        candidates = [(line, text.removeprefix("$ "), "\\Scripts\\" in text) for line, text in spans
                      if COMMAND_START.match(text) and not NAME_ONLY.match(text)]
        candidates += [(c.line, c.text, b.kind == "powershell") for b in blocks if b.kind in ("posix", "powershell")
                       for c in commands_of(b)]
        for line, text, powershell in candidates:
            for step in steps(text, powershell):
                if COMMAND_START.match(step) and not (MAKES_VENV.match(step) or VENV_PROGRAM.match(program(step))):
                    wrong.append(f"{doc}:{line}: `{step}`")
    assert not wrong, ("these commands need an activated venv; write .venv/bin/python … "
                       "(Windows .venv\\Scripts\\python …) instead:\n" + "\n".join(wrong))


def _posix_twin(step: str) -> str:
    """A PowerShell step as the POSIX step it stands for."""
    step = step.replace("\\", "/")
    step = re.sub(r"^py(?: -3(?:\.\d+)?)?(?=\s)", "python3", step)
    step = re.sub(r"\.venv/Scripts/(\w+)(?:\.exe)?", r".venv/bin/\1", step)
    return _same_pip(step)


def _same_pip(step: str) -> str:
    return re.sub(r"\.venv/bin/python -m pip\b", ".venv/bin/pip", step)


def _powershell_blocks() -> list[tuple[Block, Block | None, Block | None]]:
    found = []
    for path in documents():
        blocks = parse(path)[0]
        for index, block in enumerate(blocks):
            if block.kind == "powershell":
                before = blocks[index - 1] if index > 0 else None
                after = blocks[index + 1] if index + 1 < len(blocks) else None
                found.append((block, before, after))
    return found


@pytest.mark.parametrize("block, before, after", _powershell_blocks(),
                         ids=[f"{block.doc}:{block.line}" for block, _, _ in _powershell_blocks()])
def test_powershell_block_has_a_posix_twin(block, before, after):
    """Each PowerShell block sits next to an sh block with the same steps (the sh one is run), and
    uses only what Windows PowerShell 5.1, the one every Windows has, understands."""
    where = f"{block.doc}:{block.line}"
    mine = [step for command in commands_of(block) for step in steps(command.text, powershell=True)]
    assert mine, f"{where}: an empty PowerShell block"
    for command in commands_of(block):
        assert "&&" not in command.text and "||" not in command.text, \
            f"{where}: Windows PowerShell 5.1 cannot parse && or ||; separate the steps with ';'"
        assert ".venv/" not in command.text, f"{where}: on Windows the venv's programs are in .venv\\Scripts\\"
    for step in mine:
        assert not re.match(r"^(?:python3|\./|source\b|export\b)", step), f"{where}: `{step}` is not for Windows"
    twins = [other for other in (before, after) if other is not None and other.kind == "posix"]
    assert twins, f"{where}: no ```sh block next to this PowerShell block"
    wanted = [_posix_twin(step) for step in mine]
    for twin in twins:
        theirs = [_same_pip(step) for command in commands_of(twin) for step in steps(command.text)]
        if [shlex.split(s) for s in theirs] == [shlex.split(s) for s in wanted]:
            return
    pytest.fail(f"{where}: the PowerShell steps {wanted} differ from the sh block next to them "
                f"({', '.join(f'{t.doc}:{t.line}' for t in twins)})")


# ---- running the POSIX commands (slow) ---------------------------------------------------------

def _base_python() -> str:
    return getattr(sys, "_base_executable", None) or sys.executable


def _fresh_path(bare_bin: Path) -> str:
    """PATH of a fresh machine: our bare python first, no virtual environment anywhere."""
    kept = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if folder and not (Path(folder).parent / "pyvenv.cfg").exists():
            kept.append(folder)
    return os.pathsep.join([str(bare_bin), *kept])


def _copy_working_tree(target: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file() and not source.is_symlink():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)


@pytest.fixture(scope="session")
def fresh_machine(tmp_path_factory):
    """(copy of the repository with its own .venv, environment of a fresh machine)."""
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("needs git and bash")
    work = tmp_path_factory.mktemp("docs-commands")
    copy = work / "repo"
    _copy_working_tree(copy)
    bare = work / "bare-python"
    subprocess.run([_base_python(), "-m", "venv", "--without-pip", str(bare)], check=True)
    for name in ("pip", "pip3"):     # a fresh machine has no pip outside a venv
        stub = bare / "bin" / name
        stub.write_text(f"#!/bin/sh\necho '{name}: command not found' >&2\nexit 127\n")
        stub.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = _fresh_path(bare / "bin")
    made = subprocess.run(["bash", "-c", "python3 -m venv .venv && .venv/bin/pip install -q -e ."],
                          cwd=copy, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert made.returncode == 0, f"could not make the copy's venv:\n{made.stdout}\n{made.stderr}"
    return copy, env


def _write_honour_list(copy: Path, name: str) -> None:
    """A two-row honour list, as an office keeps it, for `import-honours NAME`."""
    target = copy / name
    rows = [["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Danh hiệu", "Thành tích"],
            [1, "Trần Văn Khải", "Thợ vận hành lò nung", "Nhà máy gạch Bến Đá", "Công nhân giỏi",
             "Hai sáng kiến giảm hao hụt than"],
            [2, "Lê Thị Hồng", "Tổ trưởng tổ may", "Công ty May Bến Đá", "Công nhân giỏi", "Năng suất vượt 20%"]]
    if target.suffix.lower() == ".csv":
        target.write_text("\n".join(",".join(str(c) for c in row) for row in rows) + "\n", encoding="utf-8-sig")
        return
    assert target.suffix.lower() == ".xlsx", f"docs-test: needs {name}: only .xlsx and .csv lists can be made"
    script = textwrap.dedent("""
        import sys, openpyxl
        book = openpyxl.Workbook()
        for row in eval(sys.argv[2]):
            book.active.append(row)
        book.save(sys.argv[1])
    """)
    subprocess.run([str(copy / ".venv" / "bin" / "python"), "-c", script, str(target), repr(rows)], check=True)


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _run_serve(command: Command, copy: Path, env: dict) -> None:
    port = int(m.group(1)) if (m := re.search(r"--port[ =](\d+)", command.text)) else 8000
    if not _port_free(port):
        pytest.skip(f"port {port} is taken by another program; `{command.text}` cannot be tried here")
    process = subprocess.Popen(["bash", "-c", command.text], cwd=copy, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
                               start_new_session=True)
    said: list[str] = []
    urls: queue.Queue = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            said.append(line)
            if found := SERVING.search(line):
                urls.put(found.group(1))
        urls.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        try:
            url = urls.get(timeout=RUN_TIMEOUT)
        except queue.Empty:
            url = None
        if not url:
            ended = process.poll()
            state = f"exited with {ended}" if ended is not None else f"said nothing for {RUN_TIMEOUT} s"
            pytest.fail(f"{command.doc}:{command.line}: `{command.text}` {state} before serving:\n{''.join(said)[-3000:]}")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=60) as answer:
            assert answer.status == 200, f"{url} answered {answer.status}"
        os.killpg(process.pid, signal.SIGINT)          # Ctrl+C, as in the terminal
        code = process.wait(timeout=SERVE_STOP_TIMEOUT)
        assert code == 0, f"`{command.text}` exited with {code} after Ctrl+C:\n{''.join(said)[-3000:]}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.slow
@pytest.mark.parametrize("command", posix_commands(), ids=lambda c: f"{c.doc}:{c.line}")
def test_command_runs_as_written(command: Command, fresh_machine):
    copy, env = fresh_machine
    marker = command.block.marker
    if marker and marker[0] == "skip":
        pytest.skip(f"docs-test: skip {marker[1]}")
    if re.search(r"-m\s+pytest\b", command.text):
        pytest.skip("runs the test suite itself (.ci/run runs it)")
    if marker and marker[0] == "needs":
        _write_honour_list(copy, shlex.split(marker[1])[0])
    if SERVE.search(command.text):
        _run_serve(command, copy, env)
        return
    done = subprocess.run(["bash", "-c", command.text], cwd=copy, env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=RUN_TIMEOUT)
    assert done.returncode == 0, (f"{command.doc}:{command.line}: `{command.text}` exited with {done.returncode} "
                                  f"on a fresh machine:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
