"""Sample answers for any call schema: every cell filled with a plausible value that satisfies every rule
and raises no cross-check warning.

The 自治区 previews a call's form and documents with them before publishing (authoring.preview); tests
use them to fill a complete application of any call without naming a field (tests/application_data.py).
"""

from decimal import Decimal

from calls.schema.rules import number

SAMPLE_TEXT = "示例内容：申报单位在此如实填写本项情况，预览时以此文字代替。"


def _text(limit, base=SAMPLE_TEXT):
    return base[: limit or len(base)]


def _value(cell, index, year):
    field = cell.field
    kind = cell.kind
    if kind in {"decimal", "growth"}:
        low = Decimal(field.min) if field.min is not None else Decimal(0)
        return f"{low + Decimal(10 + index % 7) + Decimal('0.25'):.2f}"
    if kind == "ratio":
        return f"{30 + index % 40}.50"
    if kind == "count":
        return str(3 + index % 5)
    if kind == "choice":
        return next(v for v, _ in field.choices if v not in field.blocks)
    if kind == "date":
        return field.min or f"{year}-03-15"
    if kind == "phone":
        return "13904720001"
    if kind == "accept":
        return "1"
    if kind == "regions":
        return []
    if kind == "names":
        return []  # filled with the count below
    if kind == "text_list":
        return ["示例目标：完成年度建设任务"] * max(field.min_items, 1)
    if kind == "rows":
        return _indicator_rows(field)
    if kind == "longtext":
        return _text(40)
    # A short text reads as what it stands for: 示例项目名称, 示例联系人.
    return _text(min(field.max_chars or 20, 20), f"示例{field.label}")


def _indicator_rows(field):
    columns = {c["key"]: c for c in field.columns}
    rows = []
    level1 = columns[field.require_each]["choices"] if field.require_each else [""]
    for choice in level1:
        row: dict[str, str] = {}
        for key, col in columns.items():
            if col["type"] == "choice" and col.get("parent"):
                row[key] = col["choices"][row[col["parent"]]][0]
            elif col["type"] == "choice":
                row[key] = choice if key == field.require_each else col["choices"][1]
            else:
                q = field.qualitative
                row[key] = "10" if q and key == q["numeric"] else "项" if q and key == q["unit"] else "示例指标"
        rows.append(row)
    return rows


def complete_data(schema):
    data = {}
    for index, (name, cell) in enumerate(schema.cells.items()):
        if cell.field.type == "derived":
            continue
        data[name] = cell.field.default or _value(cell, index, schema.year)
    for field in schema.fields.values():
        if field.type == "named_count":
            count = int(data[field.cells[0].name])
            data[field.cells[1].name] = [f"{field.label[:6]}（示例{i + 1}）" for i in range(count)]
    _satisfy_rules(schema, data)
    _quiet_warnings(schema, data)
    return data


def _satisfy_rules(schema, data):
    totals_set = set()
    for rule in schema.rules:
        if rule["kind"] == "sum_equals":
            parts, total = rule["parts"], rule["total"]
            if total not in totals_set:
                data[total] = f"{sum(number(data, p) for p in parts):.2f}"
                totals_set.add(total)
                continue
            # A second breakdown of the same total (e.g. the six uses): spread the total over the parts.
            share = (number(data, total) / len(parts)).quantize(Decimal("0.01"))
            for part in parts[:-1]:
                data[part] = f"{share:.2f}"
            data[parts[-1]] = f"{number(data, total) - share * (len(parts) - 1):.2f}"
        elif rule["kind"] == "date_order":
            data[rule["start"]], data[rule["end"]] = f"{schema.year}-01-01", f"{schema.year + 2}-12-31"


# Stated ratios are worked out last, from the figures the other checks settled.
WARNING_ORDER = ("per_capita", "growth_consistency", "not_above", "abs_above", "ratio_vs_stated")


def _quiet_warnings(schema, data):
    """Make the figures agree with each other the way the cross-checks expect."""
    for w in sorted(schema.warnings, key=lambda w: WARNING_ORDER.index(w["kind"])):
        kind = w["kind"]
        if kind == "per_capita":
            data[w["denominator"]] = "20000"
            data[w["numerator"]] = "300"
            data[w["stated"]] = f"{Decimal(300) / Decimal(20000) * Decimal(w['scale']):.2f}"
        elif kind == "growth_consistency":
            values = [Decimal("800.00"), Decimal("880.00"), Decimal("968.00")]
            for year, value in zip(schema.years, values, strict=True):
                data[f"{w['values']}__{year}"] = f"{value:.2f}"
            for year, prev, cur in zip(schema.years[1:], values[:-1], values[1:], strict=True):
                data[f"{w['growth']}__{year}"] = f"{(cur / prev - 1) * 100:.2f}"
        elif kind == "ratio_vs_stated":
            for year in schema.years:
                num = number(data, f"{w['numerator']}__{year}")
                den = number(data, f"{w['denominator']}__{year}")
                data[f"{w['stated']}__{year}"] = f"{num / den * 100:.2f}"
        elif kind == "not_above":
            field = schema.fields[w["value"]]
            for cell in field.cells:
                limit = number(data, cell.name.replace(w["value"], w["limit"], 1))
                value = number(data, cell.name)
                if value > limit:
                    data[cell.name] = str(int(limit)) if field.type == "count" else f"{limit:.2f}"
