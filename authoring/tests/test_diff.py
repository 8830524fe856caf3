"""The revision diff names every kind of change an official makes, in words, and nothing when nothing changed."""

from authoring.diff import ADDED, CHANGED, REMOVED, changes
from calls.schema.loader import build_schema, schema_file

SOURCE = schema_file("cluster_2024")


def diff(*replacements):
    new = SOURCE
    for old, replacement in replacements:
        assert old in new, old
        new = new.replace(old, replacement, 1)
    return {g.heading: g.changes for g in changes(build_schema(SOURCE, 2024), build_schema(new, 2024))}


def test_the_same_text_has_no_changes():
    assert diff() == {}


def test_a_relabelled_field_shows_its_old_and_new_label():
    [change] = diff(("label: 集群占地面积（平方公里）", "label: 集群规划占地面积（平方公里）"))["填报项"]
    assert (change.kind, change.setting) == (CHANGED, "标签")
    assert (change.old, change.new) == ("集群占地面积（平方公里）", "集群规划占地面积（平方公里）")


def test_a_field_moved_to_another_type_and_marked_for_a_role_is_told_in_words():
    found = diff(
        ("      - key: bureau_contact\n        type: text\n", "      - key: bureau_contact\n        type: phone\n"),
        ("        roles: [title]\n", "        roles: [title, spine]\n"),
    )["填报项"]
    assert {(c.setting, c.old, c.new) for c in found} >= {
        ("类型", "文字", "电话"),
        ("用途", "名称", "名称、书脊项目名称"),
    }


def test_an_added_and_a_removed_field_say_where_they_are():
    added_field = "      - key: cloud_ratio\n        type: ratio\n        label: 企业上云比例（%）\n"
    found = diff(
        (
            added_field,
            added_field + "      - key: edge_ratio\n        type: ratio\n        label: 边缘计算普及率（%）\n",
        ),
        ("      - key: software_rising\n        type: yes_no\n        label: 工业软件应用率稳步提升\n", ""),
    )["填报项"]
    kinds = {(c.kind, c.subject): (c.old, c.new) for c in found}
    assert kinds[ADDED, "边缘计算普及率（%）（edge_ratio）"] == ("", "四、数字化升级情况 · 比例")
    assert kinds[REMOVED, "工业软件应用率稳步提升（software_rising）"] == ("四、数字化升级情况 · 是否", "")


def test_rubric_weights_slots_sections_and_rules_are_compared():
    found = diff(
        ("weight: 20\n    sections: [basic, industry]", "weight: 25\n    sections: [basic, industry]"),
        ("weight: 20\n    sections: [plan, performance]", "weight: 15\n    sections: [plan, performance]"),
        ("    label: 其他佐证材料\n", "    label: 其他证明材料\n"),
        ("    document: performance\n", "    document: form\n"),
        ("tolerance: rounding", "tolerance: 0.1"),
    )
    assert [(c.subject, c.old, c.new) for c in found["专家评分细则"]] == [
        ("产业规模与集聚", "20", "25"),
        ("发展规划与治理", "20", "15"),
    ]
    assert [(c.setting, c.new) for c in found["附件"]] == [("名称", "其他证明材料")]
    assert [(c.setting, c.old, c.new) for c in found["章节"]] == [("打印位置", "绩效目标表", "仅在表单中")]
    assert {c.kind for c in found["校验规则与提示"]} == {ADDED, REMOVED}
