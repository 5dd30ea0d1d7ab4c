"""Splicing: a page whose only change is in fragments gets the new fragments put into its bytes.

The published file is the skeleton: its record (page_records.py) says where each outermost
fragment stands and from what it was made. A span whose global reads still hold the same values
is kept; one whose values changed is replaced by the same fragment (same template, same
non-global inputs) rendered with the new values by another page of this build. Publishing one
article changes "Tin mới" in the sidebar of every page: the sidebar is rendered once per kind of
page, and every other page costs a read, a splice and a write instead of a template render.
"""
from __future__ import annotations

import hashlib
import os

from generator import parallel
from generator.folder_steps import write_new
from generator.page_records import PageRecord, Span


def needs(record: PageRecord, new_digests: dict[frozenset, str | None],
          rekeyed: list | None = None) -> set[tuple[str, str]] | None:
    """The fragments (local key, globals digest) a page must be given to be spliced, given the
    globals digest of each read set in this build and, when its view data changed, each span's
    local key worked out again (page_pass.rekeyed); None when it cannot be spliced."""
    if record.spans is None:
        return None
    wanted = set()
    for position, span in enumerate(record.spans):
        digest = new_digests.get(span.reads)
        if digest is None:
            return None
        local = span.local_key if rekeyed is None else rekeyed[position][0]
        if (local, digest) != (span.local_key, span.globals_digest):
            wanted.add((local, digest))
    return wanted


def splice_range(start: int, stop: int) -> list:
    """Splice pages todo[start:stop]; runs in a worker (or here). Returns per page (job index,
    sha256, written, spans) or (job index, None) when the published file is not the one recorded."""
    work = parallel.shared()
    jobs, records, fragments, digests = work["jobs"], work["records"], work["fragments"], work["digests"]
    source, folder, rekeyed = work["source"], work["folder"], work["rekeyed"]
    root = os.path.join(folder, "") if folder is not None else None
    results: list = []
    for index in work["todo"][start:stop]:
        path = jobs[index].output_path
        record: PageRecord = records[index]
        try:
            with open(os.path.join(source, path), "rb") as stream:
                data = stream.read()
        except OSError:
            results.append((index, None))
            continue
        if hashlib.sha256(data).hexdigest() != record.sha256:
            results.append((index, None))      # changed by hand since: rendered instead
            continue
        pieces, spans, position, offset = [], [], 0, 0
        keys = rekeyed.get(index)
        for number, span in enumerate(record.spans):
            digest = digests[span.reads]
            local, inputs = (span.local_key, span.inputs) if keys is None else keys[number]
            same = (local, digest) == (span.local_key, span.globals_digest)
            segment = data[span.start:span.end] if same else fragments[(local, digest)]
            pieces.append(data[position:span.start])
            offset += span.start - position
            spans.append(Span(offset, offset + len(segment), local, span.reads, digest, inputs))
            pieces.append(segment)
            offset += len(segment)
            position = span.end
        pieces.append(data[position:])
        new = b"".join(pieces)
        sha = hashlib.sha256(new).hexdigest()
        wrote = sha != record.sha256
        if wrote:
            write_new(root, path, new)
        results.append((index, sha, wrote, tuple(spans)))
    return results
