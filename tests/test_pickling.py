"""quick_state: the cached dataclasses pickle to the same values as dataclasses' own state; a
manifest pickles its entries as plain rows and reads them back as entries."""
from __future__ import annotations

import pickle
from dataclasses import dataclass

import pytest

from generator.output import Entry, Manifest
from generator.pickling import quick_state


@quick_state
@dataclass(frozen=True, slots=True)
class Pair:
    left: str
    right: tuple = ()


@quick_state
@dataclass(frozen=True, slots=True)
class Alone:
    value: int


def test_values_come_back_equal_and_frozen():
    for value in (Pair("Công đoàn", ("a", 1)), Alone(7)):
        back = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == value and type(back) is type(value)
        with pytest.raises(AttributeError):
            back.__setattr__(type(value).__dataclass_fields__.__iter__().__next__(), "x")


def test_state_written_by_dataclasses_own_getstate_still_reads():
    """Caches written before quick_state hold lists of field values."""
    back = Pair.__new__(Pair)
    back.__setstate__(["Đoàn viên", ("x",)])
    assert back == Pair("Đoàn viên", ("x",))


def test_a_state_of_another_shape_is_refused():
    with pytest.raises(ValueError):
        Pair.__new__(Pair).__setstate__(["only one"])


def test_a_manifest_reads_back_its_entries_as_entries():
    manifest = Manifest("/out", {"a/index.html": Entry("fp", "sha", 3, 4, "page"),
                                 "rss.xml": Entry(None, None, 5, 6, "file")},
                        {"search": "k"}, "inputs", {"plan_key": "p"})
    data = pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"Entry" not in data                       # rows, not one reduce call per entry
    back = pickle.loads(data)
    assert back == manifest
    assert all(type(entry) is Entry for entry in back.entries.values())
    assert back.entries["rss.xml"].size == 5 and back.entries["a/index.html"].origin == "page"
