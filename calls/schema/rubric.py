"""The expert scoring rubric of a call: dimensions with weights summing to 100, checked at load."""

from dataclasses import dataclass
from decimal import Decimal

RUBRIC_TOTAL = 100
RUBRIC_KEYS = {"key", "title", "weight", "sections", "guidance"}


@dataclass(frozen=True)
class Dimension:
    """One 评分维度: its full marks are its weight, and the sections of the application it reads."""

    key: str
    title: str
    weight: Decimal
    sections: tuple = ()
    guidance: str = ""


def build_rubric(builder, entries, section_keys):
    """The rubric from the schema's `rubric:` list; `builder.fail` names the bad entry."""
    if not isinstance(entries, list) or not entries:
        builder.fail("rubric", "应列出评分维度（key、title、weight、sections）")
    dimensions, seen = [], set()
    for i, raw in enumerate(entries):
        where = f"rubric[{i}]"
        if not isinstance(raw, dict) or not {"key", "title", "weight"} <= set(raw):
            builder.fail(where, "每个评分维度须有 key、title、weight")
        if set(raw) - RUBRIC_KEYS:
            builder.fail(where, f"未知的键：{', '.join(sorted(set(raw) - RUBRIC_KEYS))}")
        key = raw["key"]
        if not isinstance(key, str) or not key.isidentifier() or key in seen:
            builder.fail(where, f"评分维度键 {key!r} 无效或重复")
        seen.add(key)
        weight = raw["weight"]
        if isinstance(weight, bool) or not isinstance(weight, int) or weight <= 0:
            builder.fail(where, f"权重应为正整数，得到 {weight!r}")
        sections = tuple(raw.get("sections") or ())
        for section in sections:
            if section not in section_keys:
                builder.fail(where, f"没有这一节：{section}")
        dimensions.append(
            Dimension(
                key=key,
                title=builder.text(raw["title"], where),
                weight=Decimal(weight),
                sections=sections,
                guidance=builder.text(raw.get("guidance", ""), where),
            )
        )
    total = sum(d.weight for d in dimensions)
    if total != RUBRIC_TOTAL:
        builder.fail("rubric", f"各评分维度权重之和应为 {RUBRIC_TOTAL}，现为 {total}")
    return tuple(dimensions)
