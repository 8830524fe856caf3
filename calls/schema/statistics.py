"""The figures a call's dashboards compare across clusters, grouped as the schema's `statistics:` list declares.

Next year's call gets its dashboard by naming its own figures here; a figure that names a missing
field, a field that is not a number, one already listed, or a ratio or growth rate marked `sum: true`
fails at load naming the entry.
"""

from dataclasses import dataclass

# What can be counted, summed, averaged and ranked: one number per cell.
STATISTIC_TYPES = {"decimal", "ratio", "growth", "count"}
# Ratios and growth rates are per cent though their fields name no unit (the form puts % beside the input),
# and a per cent is never added up across clusters; neither is a per-unit decimal marked `sum: false`.
PERCENT_TYPES = {"ratio", "growth"}
GROUP_KEYS = {"title", "figures"}
FIGURE_KEYS = {"field", "label", "sum"}


@dataclass(frozen=True)
class StatFigure:
    """One figure of the dashboards: a numeric field, a short label for tables and charts, its unit."""

    key: str  # the field key: output, patents_per_10k
    label: str
    unit: str
    places: int  # decimals shown: the field's, 0 for counts
    per_year: bool
    additive: bool = True  # a 合计 across clusters means something (产值 yes; 比例, 增速, 强度 no)
    is_count: bool = False  # a whole number of things (企业数, 专利数): its 合计 is drawn, its mean keeps a decimal


@dataclass(frozen=True)
class StatGroup:
    title: str
    figures: tuple = ()  # StatFigure


def build_statistics(builder, entries):
    """The groups from the schema's `statistics:` list; `builder.fail` names the bad entry.

    Each group is `{title, figures}`; a figure is a field key, or `{field, label, sum}` where the
    field's own label is too long for a chart or a per-unit figure must not be summed.
    """
    if entries is None:
        return ()
    if not isinstance(entries, list) or not entries:
        builder.fail("statistics", "应列出统计分组（title、figures）")
    groups, seen = [], set[str]()
    for i, raw in enumerate(entries):
        where = f"statistics[{i}]"
        if not isinstance(raw, dict) or not GROUP_KEYS <= set(raw):
            builder.fail(where, "每个统计分组须有 title 和 figures")
        if set(raw) - GROUP_KEYS:
            builder.fail(where, f"未知的键：{', '.join(sorted(set(raw) - GROUP_KEYS))}")
        if not isinstance(raw["figures"], list) or not raw["figures"]:
            builder.fail(where, "figures 应列出至少一个指标")
        figures = tuple(
            _figure(builder, entry, f"{where}.figures[{j}]", seen) for j, entry in enumerate(raw["figures"])
        )
        groups.append(StatGroup(title=builder.text(raw["title"], where), figures=figures))
    return tuple(groups)


def _figure(builder, entry, where, seen):
    if isinstance(entry, dict):
        if "field" not in entry or set(entry) - FIGURE_KEYS:
            builder.fail(where, "应为字段键，或包含 field（及 label、sum）的键值结构")
        key = entry["field"]
    else:
        key, entry = entry, {}
    if not isinstance(key, str):
        builder.fail(where, f"应为字段键，得到 {key!r}")
    builder.ref(key, where)
    field = builder.fields[key]
    if field.type not in STATISTIC_TYPES:
        builder.fail(where, f"字段 {key} 的类型 {field.type} 不是数值，不能用于统计")
    if key in seen:
        builder.fail(where, f"字段 {key} 重复")
    seen.add(key)
    additive = entry.get("sum", field.type not in PERCENT_TYPES)
    if not isinstance(additive, bool):
        builder.fail(where, f"sum 应为 true 或 false，得到 {additive!r}")
    if additive and field.type in PERCENT_TYPES:
        builder.fail(where, f"字段 {key} 是比例或增速，不能相加，不能写 sum: true")
    unit = field.unit or ("%" if field.type in PERCENT_TYPES else "")
    label = builder.text(entry["label"], where) if entry.get("label") else field.label
    return StatFigure(
        key=key,
        # Without the unit it may end with (集群总产值（亿元） → 集群总产值): headings add the unit once.
        label=label.removesuffix(f"（{unit}）") if unit else label,
        unit=unit,
        places=0 if field.type == "count" else field.places,
        per_year=field.per_year,
        additive=additive,
        is_count=field.type == "count",
    )
