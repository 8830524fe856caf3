"""No Python reads a call's answers by a field key: documents, lists and dashboards take the fields the schema
marks for their roles (PRODUCT.md §2), so a new call is a new schema and nothing else.

Every repository schema's field keys are looked for where code reads a value by key — `x["key"]` and
`x.get("key")` — in every module but tests, migrations, benchmarks, scripts and demo data (which are data).
A field key that is also one of the platform's own names — a model field (an organisation's credit_code,
a queryset row's submitted_at) or a word of the schema language (project_name) — cannot be told apart by
reading the code, so it is not looked for; ALLOWED lists the other reads that are not a call's answers.
"""

import ast
from pathlib import Path

from django.apps import apps

from calls.schema.loader import DOCUMENT_KEYS, available_schemas, load_schema

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_FOLDERS = {
    ".venv",
    "tests",
    "migrations",
    "bench",
    "scripts",
    "node_modules",
    "static",
    "mutants",
}  # mutants: make mutation's working copy
DATA_MODULES = {"applications/demo.py", "reviews/demo.py", "authoring/demo.py"}
# (module, key): why that read is not a call's answer.
ALLOWED = {
    ("documents/management/commands/render_application.py", "output"): "the command's --output option",
}


def platform_names():
    return DOCUMENT_KEYS | {f.name for model in apps.get_models() for f in model._meta.get_fields()}


def field_keys():
    keys = {key for code in available_schemas() for key in load_schema(code, 2024).fields}
    return keys - platform_names()


def reads_by_key(tree, keys):
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            key = node.slice.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            key = node.args[0].value
        else:
            continue
        if key in keys:
            yield node.lineno, key


def test_no_module_reads_an_answer_by_a_field_key():
    keys = field_keys()
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts) or relative in DATA_MODULES:
            continue
        for line, key in reads_by_key(ast.parse(path.read_text(encoding="utf-8")), keys):
            if (relative, key) not in ALLOWED:
                found.append(f"{relative}:{line} {key}")
    assert found == []


def test_the_scan_finds_a_read_by_key():
    tree = ast.parse('cluster = data.get("cluster_name") or record.data["industry_type"]')
    assert sorted(key for _, key in reads_by_key(tree, field_keys())) == ["cluster_name", "industry_type"]
