"""The schema turned into what the section templates lay out: blocks of fields with their values and errors.

Nothing here knows a rule; it only arranges cells the way the guide's tables arrange them.
"""

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from calls.schema.checks import Quotient
from calls.schema.model import Cell, Field
from calls.schema.report import derived_value


@dataclass
class BoundCell:
    cell: Cell
    value: Any
    error: str = ""
    warning: str = ""  # the cross-check warnings about this cell, shown beside it
    derivation: Quotient | None = None  # how the schema computes this cell from others, when it does
    computed: str = ""  # the derivation's hint with the computed value, as the page first shows it
    operands: dict = dc_field(default_factory=dict)  # the derivation's saved operand values (other pages' cells)

    @property
    def name(self):
        return self.cell.name

    @property
    def id(self):
        return f"cell-{self.cell.name}"

    @property
    def error_id(self):
        return f"err-{self.cell.name}"

    @property
    def described_by(self):
        """The ids of the error, the computed value and the warning shown beside this cell."""
        ids = [self.error_id] + ([f"calc-{self.cell.name}"] if self.derivation else []) + [f"warn-{self.cell.name}"]
        return " ".join(ids)


@dataclass
class BoundField:
    field: Field
    cells: list[BoundCell]
    error: str = ""  # a message about the field as a whole (e.g. a text group over its total)
    derived: str = ""
    extra: dict = dc_field(default_factory=dict)

    @property
    def cell(self):
        return self.cells[0] if self.cells else None

    @property
    def by_name(self):
        return {bc.cell.part or bc.cell.name: bc for bc in self.cells}


def bind(field, data, errors, context, schema, regions=(), warnings=None, derivations=None):
    warnings, derivations = warnings or {}, derivations or {}
    cells = [
        BoundCell(c, data.get(c.name, [] if c.is_list else ""), errors.get(c.name, ""), warnings.get(c.name, ""))
        for c in field.cells
    ]
    for bc in cells:
        if q := derivations.get(bc.cell.name):
            bc.derivation, bc.computed = q, q.hint_text(data)
            bc.operands = {"numerator": data.get(q.numerator, ""), "denominator": data.get(q.denominator, "")}
    bound = BoundField(field, cells, error=errors.get(field.key, "") if field.type == "text_group" else "")
    if field.type == "derived":
        bound.derived = derived_value(field, data, context, schema)
    elif field.type == "matrix":
        bound.extra["years"] = schema.years
        bound.extra["rows"] = [(label, [bc for bc in cells if bc.cell.row == key]) for key, label in field.rows]
    elif field.type == "regions":
        chosen = set(cells[0].value or [])
        bound.extra["options"] = [
            (code, name, code in chosen) for code, name in regions if code != context.lead_region_code
        ]
    elif field.type == "rows":
        bound.extra["rows"] = [_row_cells(field, row) for row in cells[0].value or []]
        bound.extra["blank"] = _row_cells(field, {})
        bound.extra["rules"] = _rows_rules(field)
    elif field.type == "named_count":
        bound.extra["names"] = cells[1].value or []
    return bound


def _rows_rules(field):
    """What a rows field asks beyond its columns, in words: a row under each choice of one column, and a
    qualitative (定性) target written out."""
    labels = {col["key"]: col["label"] for col in field.columns}
    rules = []
    if field.require_each:
        rules.append(f"每个{labels[field.require_each]}下至少填写一项")
    if field.qualitative:
        q = field.qualitative
        rules.append(
            f"{labels[q['column']]}选“{q['value']}”时{labels[q['numeric']]}填文字描述，{labels[q['unit']]}可不填"
        )
    return "；".join(rules) + "。" if rules else ""


def _row_cells(field, row):
    out = []
    for col in field.columns:
        options = []
        if col["type"] == "choice":
            if col.get("parent"):
                options = [(v, parent) for parent, values in col["choices"].items() for v in values]
            else:
                options = [(v, "") for v in col["choices"]]
        out.append({"col": col, "value": row.get(col["key"], ""), "options": options})
    return out


def section_blocks(schema, section, data, errors, context, regions=(), warnings=None, derivations=None):
    """Fields in order, with consecutive per-year fields gathered into one year table and named groups
    (技术创新平台建设情况, 资金情况) gathered under their heading, as in the guide. `warnings` (cell → message)
    and `derivations` (cell → Quotient) put the cross-checks beside the cells they are about."""
    blocks: list[dict[str, Any]] = []
    for field in section.fields:
        bound = bind(field, data, errors, context, schema, regions, warnings, derivations)
        last = blocks[-1] if blocks else None
        if field.per_year and field.type != "matrix":
            if last and last["kind"] == "years" and not field.year_heading:
                last["fields"].append(bound)
            else:
                blocks.append({"kind": "years", "heading": field.year_heading or "年度", "fields": [bound]})
        elif field.group:
            if last and last["kind"] == "group" and last["heading"] == field.group:
                last["fields"].append(bound)
            else:
                blocks.append({"kind": "group", "heading": field.group, "fields": [bound]})
        else:
            blocks.append({"kind": "field", "field": bound})
    return blocks
