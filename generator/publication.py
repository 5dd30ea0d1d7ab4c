"""Publishing a build into the output folder in one step, with the folder locked.

Readers of `output/` (a web server, rsync, the dev server) only ever see a complete generation:
the old site or the new one. Each build prepares the next generation in a *standby* tree and
swaps it with the published one in one `renameat2(RENAME_EXCHANGE)` (macOS: `renamex_np`), so a
kill at any instant leaves one of the two.

Everything lives in a hidden folder beside the output, `.<name>.publish/` (the same disk, so
the swap is a rename):

- `lock`: held by the build that may write the output (`flock`); a second build waits.
- `standby/`: the generation before the published one, which shares every unchanged file with
  it as a hard link. A build turns it into the next generation by changing only the paths that
  differ (what the last build changed, plus what this one changes), then swaps it in: the cost
  of a publication is what changed, not the size of the site. The swapped-out tree becomes the
  next standby.
- `staging-<pid>-<n>/`: the files this build wrote besides pages (feeds, copies, search
  bundles; a first build's whole tree); staging folders left by killed builds are swept by the
  next build. Pages go straight into the standby (`open_standby`), each as a new file.
- `record.json`: which generation is published and which one the standby holds, each with its
  folder's inode. A build trusts its manifest of the output (output.Manifest) only when the
  manifest's generation is the published one, so a manifest left by another site folder, or one
  older than a publication a kill interrupted, is never trusted: that build writes the whole
  tree, and files left by others go with the old tree.

A standby that is being changed is recorded as unknown first, so a kill in the middle leaves a
standby the next build rebuilds (linking every published file once) instead of trusting it.
An output folder that is a mount point of its own (a Docker volume) cannot be swapped: its files
are replaced one by one instead (output.Staging.publish_moves), which puts back what it changed
if a step fails but is not atomic against a kill.
"""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from generator import folder_steps as steps
from generator.output import Staging, files_under, remove_path


class Stale(Exception):
    """Another build published into the folder since the manifest was made."""


@dataclass(frozen=True)
class Tree:
    generation: str
    inode: int


@dataclass(frozen=True)
class Published:
    """What a publication left: the generation now published, and what the standby holds."""

    generation: str
    standby: str | None              # the standby's generation (the one before), None if unknown
    differs: frozenset[str]          # paths whose file differs between the published tree and the standby


class Publication:
    """One build's hold on an output folder: the lock, the record, the staging folder."""

    def __init__(self, target: Path, hold: bool = True):
        """`hold`: take the lock now (a build); `serve`'s deferred search step prepares its files
        without it, so the next edit's build never waits, and takes it only to publish."""
        self.target = target
        self.home = target.parent / f".{target.name}.publish"
        self.home.mkdir(parents=True, exist_ok=True)
        self._lock = None
        self.opened: set[str] | None = None     # the standby's differing paths, once opened (open_standby)
        self.record = self._read_record()       # read again under the lock (hold)
        if hold:
            self.hold()
        try:
            self.staging = Staging(target, self.home / f"staging-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        except BaseException:
            self.release()
            raise

    def hold(self) -> None:
        """Take the lock (waiting for another build), tidy what killed builds left, read the record."""
        if self._lock is not None:
            return
        self._lock = steps.lock(self.home / "lock")
        try:
            self._recover_swap()
            self._sweep()
            self.record = self._read_record()
        except BaseException:
            self.release()
            raise

    @property
    def standby(self) -> Path:
        return self.home / "standby"

    def published(self) -> str | None:
        """The generation the output folder holds, if the record vouches for it."""
        return _vouched(self.target, self.record.get("live"))

    # ---- publishing ------------------------------------------------------------------------
    def publish_whole(self) -> Published:
        """The staged folder is a complete tree: swap it in. The old tree is deleted (nothing
        vouches for what it held) and the standby made as links to the new one, so the next
        build pays only for what it changes."""
        self.hold()
        self._write_record(live=None, standby=None)
        if os.path.ismount(self.target):
            self._publish_into_mount(set(files_under(self.staging.folder)), None)
            return self._record_live(None, frozenset())
        generation = uuid.uuid4().hex
        old = self.staging.folder
        if self.target.exists():
            steps.exchange(self.staging.folder, self.target, self.home / "aside")
        else:
            os.replace(self.staging.folder, self.target)
            old = None
        self._write_record(live=Tree(generation, steps.inode(self.target)), standby=None)
        if old is not None:
            remove_path(old)
        self._link_standby(files_under(self.target))
        self._write_record(live=self.record["live"], standby=Tree(generation, steps.inode(self.standby)))
        return Published(generation, generation, frozenset())

    def open_standby(self, manifest) -> Path | None:
        """Let the build write its pages straight into the standby (each a new file:
        folder_steps.write_new) instead of staging and moving them. None when the folder cannot
        be swapped (a mount point) or `manifest` does not describe the published generation.
        From here on the standby is recorded as unknown; where it still holds the generation
        before (`differs`), publish_changes brings it to this build's, past the pages written."""
        self.hold()
        if self.opened is not None:
            return self.standby
        if (manifest.generation is None or manifest.generation != self.published()
                or os.path.ismount(self.target)):
            return None
        self.opened = self._ready_standby(manifest)
        self._write_record(live=self.record["live"], standby=None)     # being changed
        return self.standby

    def publish_changes(self, pending: set[str], kept: set[str], deleted: set[str], manifest,
                        in_standby: frozenset = frozenset()) -> Published:
        """Make the standby the next generation (the published tree, minus `deleted`, with the
        staged `pending` files) and swap it in. `kept` are the published paths that stay;
        `in_standby` the pending ones the build wrote into the opened standby (open_standby).
        Raises Stale if the folder is no longer the generation `manifest` describes."""
        self.hold()
        if manifest.generation is None or manifest.generation != self.published():
            raise Stale(self.target)
        if os.path.ismount(self.target):
            self._publish_into_mount(pending, deleted)
            return self._record_live(None, frozenset())
        differs = self._ready_standby(manifest) if self.opened is None else self.opened
        live = self.record["live"]
        self._write_record(live=live, standby=None)          # being changed: not to be trusted if killed
        target, standby, staged = (os.path.join(folder, "") for folder in
                                   (self.target, self.standby, self.staging.folder))
        present: set[str] = {""}                             # folders of the standby known to exist
        for rel in sorted((differs | pending | deleted) - in_standby):
            if rel in pending or rel in kept:
                parent = rel.rpartition("/")[0]
                if parent not in present:
                    steps.make_parents(standby, rel)
                    present.add(parent)
                if rel in pending:
                    steps.replace_file(staged + rel, standby + rel)
                else:
                    steps.unlink_file(standby + rel)
                    try:
                        steps.link_or_copy(target + rel, standby + rel)
                    except FileNotFoundError:    # deleted by hand from a folder serve trusted:
                        pass                     # its check after the build finds it missing
            elif os.path.lexists(standby + rel):
                remove_path(standby + rel)
                steps.prune_empty(os.path.dirname(standby + rel), standby)
                present = {""}                               # a folder may have gone
        generation = uuid.uuid4().hex
        steps.exchange(self.standby, self.target, self.home / "aside")
        self._write_record(live=Tree(generation, steps.inode(self.target)), standby=Tree(live.generation,
                                                                                 steps.inode(self.standby)))
        self.staging.discard()
        self.opened = None
        return Published(generation, live.generation, frozenset(pending | deleted))

    def _ready_standby(self, manifest) -> set[str]:
        """The paths where the standby differs from the published tree; a standby nobody vouches
        for is made again, as hard links to every published file."""
        standby = self.record.get("standby")
        if (standby is not None and manifest.standby == standby.generation
                and steps.inode(self.standby) == standby.inode):
            return set(manifest.differs)
        self._write_record(live=self.record["live"], standby=None)
        self._link_standby(manifest.entries)
        return set()

    def _link_standby(self, paths) -> None:
        """A new standby: hard links to the published files `paths` (~0.8 s for 23,000 here)."""
        remove_path(self.standby)
        self.standby.mkdir()
        target, copy = os.path.join(self.target, ""), os.path.join(self.standby, "")
        made: set[str] = {""}
        for rel in sorted(paths):
            parent = rel.rpartition("/")[0]
            if parent not in made:
                os.makedirs(copy + parent, exist_ok=True)
                made.add(parent)
            try:
                steps.link_or_copy(target + rel, copy + rel)
            except FileNotFoundError:           # deleted by hand: written again by this build
                pass

    def _publish_into_mount(self, pending: set[str], deleted: set[str] | None) -> None:
        """A mount point cannot be swapped: the staged files replace their namesakes one by one."""
        if deleted is None:
            deleted = set(files_under(self.target)) - pending
        self.staging.publish_moves(pending, deleted)

    def _record_live(self, generation: str | None, differs: frozenset) -> Published:
        generation = generation or uuid.uuid4().hex
        self._write_record(live=Tree(generation, steps.inode(self.target)), standby=None)
        return Published(generation, None, differs)

    def discard(self) -> None:
        self.staging.discard()

    def release(self) -> None:
        if self._lock is not None:
            steps.unlock(self._lock)
            self._lock = None

    # ---- the record and the sweep --------------------------------------------------------------
    def _read_record(self) -> dict:
        return _read_record(self.home)

    def _write_record(self, live: Tree | None, standby: Tree | None) -> None:
        self.record = {"live": live, "standby": standby}
        text = json.dumps({key: [tree.generation, tree.inode] if tree else None for key, tree in self.record.items()})
        temporary = self.home / f"record-{os.getpid()}.tmp"
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.home / "record.json")

    def _sweep(self) -> None:
        """Remove what killed builds left: staging folders, temporary records, and the folders
        beside the output that earlier versions staged in."""
        for item in self.home.iterdir():
            if item.name.startswith(("staging-", "record-")) and not steps.alive(item.name.split("-")[1]):
                remove_path(item)
        for item in self.target.parent.glob(f".{self.target.name}.*-*"):
            if item.name.startswith((f".{self.target.name}.new-", f".{self.target.name}.old-")):
                remove_path(item)

    def _recover_swap(self) -> None:
        """Where a swap cannot be one rename (no RENAME_EXCHANGE), it is three; a kill between
        them may leave the published tree aside: put it back."""
        aside = self.home / "aside"
        if aside.exists() and not self.target.exists():
            os.replace(aside, self.target)
        elif aside.exists():
            remove_path(aside)


def published_generation(target: Path) -> str | None:
    """The generation `target` holds, as its record says (read without the lock: a build that
    goes on to publish reads it again under the lock)."""
    return _vouched(target, _read_record(target.parent / f".{target.name}.publish").get("live"))


def _vouched(target: Path, live: Tree | None) -> str | None:
    return live.generation if live is not None and steps.inode(target) == live.inode else None


def _read_record(home: Path) -> dict:
    try:
        raw = json.loads((home / "record.json").read_text(encoding="utf-8"))
        return {key: Tree(*raw[key]) if raw.get(key) else None for key in ("live", "standby")}
    except (OSError, ValueError, TypeError, KeyError):
        return {"live": None, "standby": None}


