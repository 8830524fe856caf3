"""Whatever an uploaded schema says, the loader answers with a SchemaError naming the entry — never a crash.

The 自治区's officials and engineers upload schemas (authoring.editing.store_upload); a wrong type or a
missing entry anywhere must come back as a sentence, not a server error. Each example replaces or removes
one entry of the 2024 schema, at any depth.
"""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calls.schema.loader import SchemaError, _Builder, parse_source, schema_file

DOC = parse_source(schema_file("cluster_2024"))
ODD_VALUES = [None, 0, -1, 2.5, True, "", "x", "{nope}", [], [1], {}, {"a": 1}]


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


PATHS = [p for p in paths(DOC) if p]


def changed(path, value, remove):
    doc = copy.deepcopy(DOC)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if remove:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), st.sampled_from(ODD_VALUES), st.booleans())
def test_one_wrong_entry_anywhere_is_a_schema_error_or_still_a_schema(path, value, remove):
    try:
        _Builder("test.yaml", 2024, "0" * 64).build(changed(path, value, remove))
    except SchemaError:
        pass


def test_yaml_aliases_are_refused_naming_their_line():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b]\n"
    with pytest.raises(SchemaError, match=r"第 2 行.*不支持 YAML 别名"):
        parse_source(bomb)
