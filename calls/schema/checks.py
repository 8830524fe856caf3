"""Cross-check warnings (PRODUCT.md §3): they explain themselves with the computed value, never block.

Each check yields (cell name, message): the cell the warning is shown beside, as rules.py's rules do.

Two kinds compare a stated figure with a quotient of other cells (每万人有效发明专利拥有量, 研发投入强度):
`per_capita` and `ratio_vs_stated`. Their arithmetic lives in `Quotient`, and the editor's
static/js/figures.js does the same sums from the attributes `Quotient.attributes` gives the page, so the
value shown while typing and the server's warning never disagree.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from calls.schema.rules import fmt, number

# `tolerance: rounding`: a figure kept to 2 places agrees with the exact value when it is that value
# rounded, i.e. at most half a cent away (12.345 may be stated as 12.34 or 12.35; 12.3451 only as 12.35).
ROUNDING = "rounding"
HALF_CENT = Decimal("0.005")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Quotient:
    """A stated cell that should equal numerator ÷ denominator × scale, within a tolerance."""

    stated: str  # cell names
    numerator: str
    denominator: str
    scale: Decimal
    tolerance: Decimal
    relative: bool  # the tolerance is a share of the computed value (per_capita's numeric tolerance)
    hint: str  # shown beside the stated cell while typing, "{computed}" filled in; "" shows nothing

    def exact(self, data):
        """The computed value as an exact fraction, or None when an operand is missing or the denominator 0."""
        num, den = number(data, self.numerator), number(data, self.denominator)
        if num is None or den is None or den == 0:
            return None
        return Fraction(num) * Fraction(self.scale) / Fraction(den)

    def computed(self, data):
        """The computed value rounded half up to 2 places (四舍五入), as it is shown; None as for `exact`."""
        exact = self.exact(data)
        if exact is None:
            return None
        hundredths = (abs(exact) * 100 + Fraction(1, 2)).__floor__()
        return (Decimal(hundredths) / 100 * (1 if exact >= 0 else -1)).quantize(CENT, ROUND_HALF_UP)

    def differs(self, data):
        """True when the stated value is further from the exact computed value than the tolerance allows."""
        exact, stated = self.exact(data), number(data, self.stated)
        if exact is None or stated is None:
            return False
        allowed = Fraction(self.tolerance)
        if self.relative:
            allowed *= max(exact, Fraction(CENT))
        return abs(Fraction(stated) - exact) > allowed

    def hint_text(self, data):
        computed = self.computed(data)
        return self.hint.format(computed=fmt(computed)) if self.hint and computed is not None else ""

    def attributes(self):
        """What static/js/figures.js needs to do the same sums, as data- attribute values."""
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "scale": str(self.scale),
            "tolerance": str(self.tolerance),
            "relative": "1" if self.relative else "",
            "hint": self.hint,
        }


def _tolerance(w):
    if w["tolerance"] == ROUNDING:
        return HALF_CENT, False
    return Decimal(str(w["tolerance"])), w["kind"] == "per_capita"


def quotients(w, schema):
    """The Quotient of each stated cell a per_capita or ratio_vs_stated entry checks (one per year for the latter)."""
    tolerance, relative = _tolerance(w)
    hint = w.get("hint", "")
    if w["kind"] == "per_capita":
        return [
            Quotient(w["stated"], w["numerator"], w["denominator"], Decimal(str(w["scale"])), tolerance, relative, hint)
        ]
    return [
        Quotient(
            f"{w['stated']}__{y}",
            f"{w['numerator']}__{y}",
            f"{w['denominator']}__{y}",
            Decimal(100),
            tolerance,
            relative,
            hint,
        )
        for y in schema.years
    ]


def derivations(schema):
    """Every stated cell whose value the schema can compute from other cells: cell name → Quotient."""
    return {q.stated: q for w in schema.warnings if w["kind"] in QUOTIENT_KINDS for q in quotients(w, schema)}


def _pairs(field, years):
    return [(y, f"{field}__{y}") for y in years]


def per_capita(w, data, schema, context):
    for q in quotients(w, schema):
        if q.differs(data):
            num, den = number(data, q.numerator), number(data, q.denominator)
            stated = fmt(number(data, q.stated))
            yield (
                q.stated,
                w["message"].format(
                    stated=stated, numerator=int(num), denominator=int(den), computed=fmt(q.computed(data))
                ),
            )


def ratio_vs_stated(w, data, schema, context):
    for year, q in zip(schema.years, quotients(w, schema), strict=True):
        if q.differs(data):
            num, den, stated = (number(data, name) for name in (q.numerator, q.denominator, q.stated))
            yield (
                q.stated,
                w["message"].format(
                    data_year=year,
                    stated=fmt(stated),
                    numerator=fmt(num),
                    denominator=fmt(den),
                    computed=fmt(q.computed(data)),
                ),
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
                growth_name,
                w["message"].format(
                    data_year=year, stated=fmt(stated), previous=fmt(prev), current=fmt(cur), computed=fmt(computed)
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
            yield w["value"] + suffix, w["message"].format(data_year=year or "", value=shown[0], limit=shown[1])


def abs_above(w, data, schema, context):
    limit = Decimal(str(w["limit"]))
    for key in w["fields"]:
        field = schema.fields[key]
        for cell in field.cells:
            value = number(data, cell.name)
            if value is not None and abs(value) > limit:
                yield (
                    cell.name,
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
QUOTIENT_KINDS = ("per_capita", "ratio_vs_stated")
