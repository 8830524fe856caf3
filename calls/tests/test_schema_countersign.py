"""`countersign:` in a call schema: required, optional (the default) or none; anything else is refused."""

import copy

import pytest

from calls.schema.loader import SchemaError, _Builder, parse_source, schema_file

DOC = parse_source(schema_file("cluster_2024"))


def build(change):
    doc = copy.deepcopy(DOC)
    change(doc)
    return _Builder("test.yaml", 2024, "0" * 64).build(doc)


@pytest.mark.parametrize(
    ("value", "asks", "requires"),
    [("required", True, True), ("optional", True, False), ("none", False, False)],
)
def test_each_policy_says_whether_countersign_is_asked_and_required(value, asks, requires):
    schema = build(lambda doc: doc.update(countersign=value))
    assert (schema.countersign, schema.asks_countersign, schema.requires_countersign) == (value, asks, requires)


def test_a_call_that_says_nothing_makes_countersign_optional():
    schema = build(lambda doc: doc.pop("countersign"))
    assert schema.countersign == "optional" and not schema.requires_countersign


def test_an_unknown_policy_is_refused():
    with pytest.raises(SchemaError) as refused:
        build(lambda doc: doc.update(countersign="yes"))
    assert str(refused.value) == "test.yaml countersign: 应为 required、optional、none 之一，得到 'yes'"


def test_countersign_cannot_be_required_of_a_call_without_participating_regions():
    def without_regions(doc):
        doc["countersign"] = "required"
        for section in doc["sections"]:
            section["fields"] = [f for f in section.get("fields", []) if f.get("type") != "regions"]

    with pytest.raises(SchemaError) as refused:
        build(without_regions)
    assert str(refused.value) == "test.yaml countersign: 申报书没有 regions（参与盟市）字段，不能要求会签"
