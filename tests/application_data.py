"""A schema-driven factory: a complete, valid application for any call schema, and one-rule breakers.

Tests never hand-write 160 cells: `complete_data(schema)` fills every cell with a plausible value that
satisfies every rule and raises no cross-check warning; `broken(schema, kind, cell)` breaks exactly one.
"""

from decimal import Decimal

from calls.schema.rules import number

SAMPLE_TEXT = "集群以稀土新材料为主导产业，龙头企业带动配套企业协同发展。"


def _text(limit, base=SAMPLE_TEXT):
    return base[: limit or len(base)]


def _value(cell, index):
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
        return field.min or "2024-03-15"
    if kind == "phone":
        return "13904720001"
    if kind == "accept":
        return "1"
    if kind == "regions":
        return []
    if kind == "names":
        return []  # filled with the count below
    if kind == "text_list":
        return ["完成集群年度发展目标"] * max(field.min_items, 1)
    if kind == "rows":
        return _indicator_rows(field)
    if kind == "longtext":
        return _text(40)
    return _text(min(field.max_chars or 20, 20))


def _indicator_rows(field):
    columns = {c["key"]: c for c in field.columns}
    parent_col = next((c for c in field.columns if c.get("parent")), None)
    rows = []
    level1 = columns[field.require_each]["choices"] if field.require_each else [""]
    for choice in level1:
        row = {}
        for key, col in columns.items():
            if col["type"] == "choice" and col.get("parent"):
                row[key] = col["choices"][row[col["parent"]]][0]
            elif col["type"] == "choice":
                row[key] = choice if key == field.require_each else col["choices"][1]
            else:
                row[key] = "10" if field.qualitative and key == field.qualitative["numeric"] else "测试指标"
        if parent_col is None:
            pass
        rows.append(row)
    return rows


def complete_data(schema):
    data = {}
    for index, (name, cell) in enumerate(schema.cells.items()):
        if cell.field.type == "derived":
            continue
        data[name] = cell.field.default or _value(cell, index)
    for field in schema.fields.values():
        if field.type == "named_count":
            count = int(data[field.cells[0].name])
            data[field.cells[1].name] = [f"{field.label[:6]}{i + 1}号平台" for i in range(count)]
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
            data[rule["start"]], data[rule["end"]] = "2024-01-01", "2026-12-31"


def _quiet_warnings(schema, data):
    """Make the figures agree with each other the way the cross-checks expect."""
    for w in schema.warnings:
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


def broken(schema, kind, cell_name):
    """complete_data with one cell broken: 'missing', 'decimals', 'negative', 'words', 'none'."""
    data = complete_data(schema)
    cell = schema.cells[cell_name]
    if kind == "missing":
        data[cell_name] = [] if cell.is_list else ""
    elif kind == "decimals":
        data[cell_name] = "12.345"
    elif kind == "negative":
        data[cell_name] = "-1"
    elif kind == "words":
        data[cell_name] = "字" * ((cell.field.max_chars or 0) + 1)
    elif kind == "none":
        data[cell_name] = "无"
    else:
        raise ValueError(kind)
    return data
