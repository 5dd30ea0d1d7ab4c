"""The only writer: builds a complete new output folder beside the old one, then swaps it in.

A failed build never touches the published folder; a successful one replaces it whole.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class OutputFile:
    path: str          # relative to the output folder, forward slashes
    data: bytes


class StagedOutput:
    """A temporary folder next to `target` that becomes `target` on `publish()`."""

    def __init__(self, target: Path):
        self.target = target.resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.folder = self.target.parent / f".{self.target.name}.new-{os.getpid()}"
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir()
        self.written: set[str] = set()

    def write(self, file: OutputFile) -> None:
        if file.path in self.written:
            raise ValueError(f"two pages write {file.path}")
        destination = self._inside(file.path)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(file.data)
        self.written.add(file.path)

    def copy_tree(self, source: Path, prefix: str) -> None:
        """Copy (hard-link where possible) a folder of static files under `prefix`."""
        for file in sorted(source.rglob("*")):
            rel = file.relative_to(source)
            if not file.is_file() or any(p.startswith(".") for p in rel.parts):
                continue
            self.copy_file(file, f"{prefix}/{rel.as_posix()}" if prefix else rel.as_posix())

    def copy_file(self, source: Path, rel: str) -> None:
        destination = self._inside(rel)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if destination.exists():
            destination.unlink()
        try:
            os.link(source, destination)
        except OSError:
            shutil.copyfile(source, destination)
        self.written.add(rel)

    def publish(self) -> None:
        """Swap the finished folder in place of the target."""
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        if self.target.exists():
            os.replace(self.target, old)
        os.replace(self.folder, self.target)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _inside(self, rel: str) -> Path:
        destination = (self.folder / rel).resolve()
        if not destination.is_relative_to(self.folder.resolve()):
            raise ValueError(f"refusing to write outside the output folder: {rel}")
        return destination
