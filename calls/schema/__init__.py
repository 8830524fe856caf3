"""The schema engine: the one place that knows a call's fields, units, limits, rules and checks.

Forms, autosave, documents and spreadsheets ask it; none of them re-implements a rule.
"""

from calls.schema.loader import SchemaError, available_schemas, load_schema
from calls.schema.model import Cell, Field, Schema, Section, Slot
from calls.schema.report import Context, Problem, Report, validate

__all__ = [
    "Cell",
    "Context",
    "Field",
    "Problem",
    "Report",
    "Schema",
    "SchemaError",
    "Section",
    "Slot",
    "available_schemas",
    "load_schema",
    "validate",
]
