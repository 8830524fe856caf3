"""A schema-driven factory for tests: a complete, valid application for any call schema (the sample
answers of calls.schema.samples), and one-rule breakers.

Tests never hand-write 160 cells: `complete_data(schema)` fills every cell with a plausible value that
satisfies every rule and raises no cross-check warning; `broken(schema, kind, cell)` breaks exactly one.
"""

from calls.schema.samples import complete_data

__all__ = ["broken", "complete_data"]


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
