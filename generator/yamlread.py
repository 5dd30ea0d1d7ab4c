"""Safe YAML reading that remembers the source line of every key and list item.

Editors need `path:line` in every message, so values are paired with a map from their position
in the document (a tuple of keys and indexes) to a 1-based line number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from generator.diagnostics import ContentError, Diagnostic, ERROR, WARNING
from generator.yaml_advice import cut_comment, indentation, special_start

Position = tuple  # e.g. ("entries", 3, "benefit")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class _ContentLoader(yaml.SafeLoader):
    """The safe loader, except that an impossible date (2026-02-30) stays text.

    PyYAML raises a bare ValueError for such a timestamp, which loses the key and line; kept as
    text, it reaches the typed field readers, which report "'date' is not a valid date" on its line.
    """

    def construct_yaml_timestamp(self, node):
        try:   # named, not super(): the libyaml loader below borrows this method
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError:
            return self.construct_scalar(node)


_ContentLoader.add_constructor("tag:yaml.org,2002:timestamp", _ContentLoader.construct_yaml_timestamp)

# libyaml parses front matter ~6x faster; its error messages are vaguer (no "'\t'"), so a document
# it rejects is parsed again by the pure-Python loader, whose message the editor sees.
_FastContentLoader = None
if getattr(yaml, "__with_libyaml__", False):
    class _FastContentLoader(yaml.CSafeLoader):
        construct_yaml_timestamp = _ContentLoader.construct_yaml_timestamp

    _FastContentLoader.add_constructor("tag:yaml.org,2002:timestamp", _FastContentLoader.construct_yaml_timestamp)


@dataclass(frozen=True)
class LineMap:
    """Lines of the nodes of one YAML document, offset to the file's own numbering."""

    lines: dict = field(default_factory=dict)
    first_line: int = 1
    # Values that parsed but are probably not what the editor meant ("# …" cut off as a comment).
    warnings: tuple = field(default=(), compare=False)

    def line(self, *position) -> int:
        """The line of the value at `position`, or of its closest known parent."""
        pos = tuple(position)
        while pos:
            if pos in self.lines:
                return self.lines[pos]
            pos = pos[:-1]
        return self.first_line


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[object, LineMap]:
    """Parse `text` (which starts at line `first_line` of `path`) with the safe loader.

    Anchors and aliases are refused: they are never needed in content and are the vehicle of
    "billion laughs" documents that would blow up every later pass over the data.
    """
    if _FastContentLoader is not None:
        try:
            return _load_yaml(text, path, first_line, _FastContentLoader)
        except ContentError:
            pass
    return _load_yaml(text, path, first_line, _ContentLoader)


def _load_yaml(text: str, path: str, first_line: int, loader_class) -> tuple[object, LineMap]:
    loader = None
    try:
        loader = loader_class(text)   # may refuse control characters at once (ReaderError)
        if "*" in text or "&" in text:
            _refuse_aliases(text, path, first_line)
        node = loader.get_single_node()
        if node is None:
            return None, LineMap({}, first_line)
        lines: dict = {}
        cut: list = []
        _collect_lines(node, (), lines, first_line - 1, cut)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        advice = _advice(text, mark.line) if mark else None
        if advice:
            raise ContentError(Diagnostic(path, line, ERROR, *advice)) from None
        raise ContentError(Diagnostic(path, line, ERROR, f"YAML syntax error: {problem}",
                                      _yaml_hint(problem))) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + first_line
        raise ContentError(Diagnostic(path, line, ERROR, f"the text holds a control character (U+{exc.character:04X}) "
                                      "that YAML does not allow", "delete it; such characters often come with "
                                      "text copied from a PDF or a word processor")) from None
    except yaml.YAMLError as exc:
        raise ContentError(Diagnostic(path, first_line, ERROR, f"YAML error: {exc}")) from None
    except RecursionError:
        raise ContentError(Diagnostic(path, first_line, ERROR, "YAML is nested too deeply",
                                      "front matter and rolls need only a few levels of lists and keys")) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # The safe constructor raises these for values such as a timestamp of 2026-02-30.
        raise ContentError(Diagnostic(path, first_line, ERROR, f"invalid value in YAML: {exc}")) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, LineMap(lines, first_line, _comment_warnings(text, cut, path, first_line))


def _rows(text: str) -> list[str]:
    """The lines as YAML counts them (its marks number lines by these breaks)."""
    return _LINE_BREAK.split(text)


def _advice(text: str, line: int) -> tuple[str, str] | None:
    """What a syntax error at 0-based `line` means, where the raw line tells."""
    rows = _rows(text)
    if not 0 <= line < len(rows):
        return None
    return special_start(rows[line]) or indentation(rows, line)


def _comment_warnings(text: str, cut: list, path: str, first_line: int) -> tuple:
    if not cut:
        return ()
    rows = _rows(text)
    found = []
    for line, column in cut:
        advice = cut_comment(rows[line], column) if line < len(rows) else None
        if advice:
            found.append(Diagnostic(path, line + first_line, WARNING, *advice))
    return tuple(found)


def _yaml_hint(problem: str) -> str | None:
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': '"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return None


def _refuse_aliases(text: str, path: str, first_line: int) -> None:
    """Aliases, and the anchors they name: never needed in content. An anchor is also what
    `title: &Tin mới` silently becomes (the title would be "mới"): that one is explained."""
    events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    aliases = [e for e in events if isinstance(e, yaml.AliasEvent)]
    anchors = [e for e in events if isinstance(e, yaml.NodeEvent) and not isinstance(e, yaml.AliasEvent) and e.anchor]
    for event in aliases[:1] or anchors[:1]:
        line = event.start_mark.line
        advice = _advice(text, line) if isinstance(event, yaml.ScalarEvent) else None
        if advice:
            raise ContentError(Diagnostic(path, line + first_line, ERROR, *advice))
        raise ContentError(Diagnostic(path, line + first_line, ERROR,
                                      "YAML aliases (*name) are not allowed, nor anchors (&name)",
                                      "write the value out in full"))


def _collect_lines(node: yaml.Node, position: Position, lines: dict, offset: int, cut: list) -> None:
    """Lines of every node by position; and in `cut`, (line, end column) of each plain text value
    on one line, whose line may go on with a " #" comment."""
    lines[position] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = position + (key.value,)
                _collect_lines(value, child, lines, offset, cut)
                lines[child] = key.start_mark.line + 1 + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, position + (index,), lines, offset, cut)
    elif (not node.style and node.tag == "tag:yaml.org,2002:str"
          and node.start_mark.line == node.end_mark.line):
        cut.append((node.end_mark.line, node.end_mark.column))
