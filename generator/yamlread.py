"""Safe YAML reading that remembers the source line of every key and list item.

Editors need `path:line` in every message, so values are paired with a map from their position
in the document (a tuple of keys and indexes) to a 1-based line number.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from generator.diagnostics import ContentError, Diagnostic, ERROR

Position = tuple  # e.g. ("entries", 3, "benefit")


@dataclass(frozen=True)
class LineMap:
    """Lines of the nodes of one YAML document, offset to the file's own numbering."""

    lines: dict = field(default_factory=dict)
    first_line: int = 1

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
    loader = yaml.SafeLoader(text)
    try:
        if "*" in text:
            _refuse_aliases(text, path, first_line)
        node = loader.get_single_node()
        if node is None:
            return None, LineMap({}, first_line)
        lines: dict = {}
        _collect_lines(node, (), lines, first_line - 1)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError(Diagnostic(path, line, ERROR, f"YAML syntax error: {problem}",
                                      _yaml_hint(problem))) from None
    except yaml.YAMLError as exc:
        raise ContentError(Diagnostic(path, first_line, ERROR, f"YAML error: {exc}")) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # The safe constructor raises these for values such as a timestamp of 2026-02-30.
        raise ContentError(Diagnostic(path, first_line, ERROR, f"invalid value in YAML: {exc}")) from None
    finally:
        loader.dispose()
    return data, LineMap(lines, first_line)


def _yaml_hint(problem: str) -> str | None:
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': '"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return None


def _refuse_aliases(text: str, path: str, first_line: int) -> None:
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise ContentError(Diagnostic(path, event.start_mark.line + first_line, ERROR,
                                          "YAML aliases (*name) are not allowed",
                                          "write the value out in full"))


def _collect_lines(node: yaml.Node, position: Position, lines: dict, offset: int) -> None:
    lines[position] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = position + (key.value,)
                _collect_lines(value, child, lines, offset)
                lines[child] = key.start_mark.line + 1 + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, position + (index,), lines, offset)
