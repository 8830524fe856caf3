"""A schema document as YAML text, and a YAML text checked with its errors named by line.

The loader names a bad entry by its path (sections[3] (key=basic).fields[7] (key=area)); an engineer
editing the text wants the line, an official editing the 字段表 wants the sheet and row. Both are
found from that path here and in check_fieldsheet.
"""

import re

import yaml

from calls.schema.loader import SchemaError, build_schema
from calls.schema.model import Schema

NAME = "申报书结构"  # what the loader's messages call the text: "申报书结构 sections[3]…: 未知字段类型"
HEADER = "# 由字段表生成（calls.fieldsheet.dump_source）：修改请改字段表，或直接改此文本。\n"
FLOW_LIMIT = 100  # a list of scalars shorter than this prints on one line: [pdf, jpg, png]
STEP = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")
ENTRY_KEY = re.compile(r" \(key=[^)]*\)")


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # lists indented under their key, as our files are


def _represent_list(dumper, items):
    items = list(items)
    scalars = all(isinstance(i, str | int | float | bool) or i is None for i in items)
    flow = scalars and sum(len(str(i)) + 2 for i in items) < FLOW_LIMIT
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)


def dump_source(doc: dict) -> str:
    """The document as YAML text the loader reads, keys in the document's order, labels on one line."""
    body = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return HEADER + body


def check_source(text: str, year: int, name: str = NAME) -> Schema:
    """The Schema a YAML text declares for `year`; a SchemaError names the line of the bad entry."""
    try:
        return build_schema(text, year, name)
    except SchemaError as exc:
        place = split_error(str(exc), name)
        line = _line_of(text, loader_path(place[0])) if place else None
        if line is None:
            raise  # a syntax error already names its line; an error of the whole text has none
        raise SchemaError(f"{name} 第 {line} 行 {place[0]}: {place[1]}") from exc


def split_error(message, name=NAME):
    """(where, problem) of a loader message "<name> <where>: <problem>", or None."""
    if not message.startswith(f"{name} "):
        return None
    where, sep, problem = message[len(name) + 1 :].partition(": ")
    return (where, problem) if sep else None


def loader_path(where):
    """The loader's `where` without the keys it adds for people: sections[3].fields[7]."""
    return ENTRY_KEY.sub("", where).strip()


def _line_of(text, path):
    """The 1-based line where the entry at `path` starts in the YAML text, or None."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if path.startswith("field "):
        node = _field_node(node, path.removeprefix("field "))
        return node.start_mark.line + 1 if node else None
    if path.startswith("help."):
        key = _key_node(_value(node, "help"), path.removeprefix("help."))
        return key.start_mark.line + 1 if key else None
    mark = None
    for step in path.split("."):
        match = STEP.fullmatch(step)
        if not match:
            return None
        name, index = match.groups()
        key, node = _key_node(node, name), _value(node, name)
        mark = key.start_mark if key else None
        if index is not None:
            node = _item(node, int(index))
            mark = node.start_mark if node else None
        if mark is None:
            return None
    return mark.line + 1 if mark else None


def _key_node(node, name):
    if isinstance(node, yaml.MappingNode):
        return next((k for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value == name), None)
    return None


def _value(node, name):
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == name), None)
    return None


def _item(node, index):
    if isinstance(node, yaml.SequenceNode) and index < len(node.value):
        return node.value[index]
    return None


def _field_node(root, key):
    """The field mapping whose `key` is `key`, in whichever section it is."""
    sections = _value(root, "sections")
    for section in sections.value if isinstance(sections, yaml.SequenceNode) else ():
        fields = _value(section, "fields")
        for field in fields.value if isinstance(fields, yaml.SequenceNode) else ():
            found = _value(field, "key")
            if isinstance(found, yaml.ScalarNode) and found.value == key:
                return field
    return None
