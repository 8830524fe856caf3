"""Cross-check warnings (PRODUCT.md §3): they explain themselves with the computed value, never block."""

from decimal import Decimal

from calls.schema.rules import fmt, number


def _pairs(field, years):
    return [(y, f"{field}__{y}") for y in years]


def per_capita(w, data, schema, context):
    stated, num, den = (number(data, w[k]) for k in ("stated", "numerator", "denominator"))
    if None in (stated, num, den) or den == 0:
        return
    computed = num / den * Decimal(w["scale"])
    if abs(stated - computed) > Decimal(str(w["tolerance"])) * max(computed, Decimal("0.01")):
        yield (
            schema.fields[w["stated"]].section,
            w["message"].format(stated=fmt(stated), numerator=int(num), denominator=int(den), computed=fmt(computed)),
        )


def growth_consistency(w, data, schema, context):
    values = _pairs(w["values"], schema.years)
    growth = _pairs(w["growth"], schema.years)
    for (_, prev_name), (year, cur_name), (_, growth_name) in zip(values[:-1], values[1:], growth[1:], strict=True):
        prev, cur, stated = number(data, prev_name), number(data, cur_name), number(data, growth_name)
        if None in (prev, cur, stated) or prev == 0:
            continue
        computed = (cur / prev - 1) * 100
        if abs(stated - computed) > Decimal(str(w["tolerance"])):
            yield (
                schema.fields[w["growth"]].section,
                w["message"].format(
                    data_year=year, stated=fmt(stated), previous=fmt(prev), current=fmt(cur), computed=fmt(computed)
                ),
            )


def ratio_vs_stated(w, data, schema, context):
    for year in schema.years:
        num = number(data, f"{w['numerator']}__{year}")
        den = number(data, f"{w['denominator']}__{year}")
        stated = number(data, f"{w['stated']}__{year}")
        if None in (num, den, stated) or den == 0:
            continue
        computed = num / den * 100
        if abs(stated - computed) > Decimal(str(w["tolerance"])):
            yield (
                schema.fields[w["stated"]].section,
                w["message"].format(
                    data_year=year, stated=fmt(stated), numerator=fmt(num), denominator=fmt(den), computed=fmt(computed)
                ),
            )


def not_above(w, data, schema, context):
    regions = schema.regions_field
    if w.get("when") == "single_region" and regions and data.get(regions.key):
        return
    field = schema.fields[w["value"]]
    for year in schema.years if field.per_year else (None,):
        suffix = f"__{year}" if year else ""
        value, limit = number(data, w["value"] + suffix), number(data, w["limit"] + suffix)
        if None not in (value, limit) and value > limit:
            shown = (fmt(value), fmt(limit)) if field.type != "count" else (int(value), int(limit))
            yield field.section, w["message"].format(data_year=year or "", value=shown[0], limit=shown[1])


def abs_above(w, data, schema, context):
    limit = Decimal(str(w["limit"]))
    for key in w["fields"]:
        field = schema.fields[key]
        for cell in field.cells:
            value = number(data, cell.name)
            if value is not None and abs(value) > limit:
                yield (
                    field.section,
                    w["message"].format(
                        label=field.label, data_year_suffix=f"（{cell.year}年）" if cell.year else "", value=fmt(value)
                    ),
                )


WARNINGS = {
    "per_capita": per_capita,
    "growth_consistency": growth_consistency,
    "ratio_vs_stated": ratio_vs_stated,
    "not_above": not_above,
    "abs_above": abs_above,
}
