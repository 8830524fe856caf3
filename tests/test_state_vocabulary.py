"""State lives on the enums: no template compares a state with a string, and no module spells one.

Templates ask the models (`application.awaits_bureau`, `review.is_pending`, `job.is_done`…) or a boolean
the view supplies. Python uses the enums and the groups named beside them (`Status.official()`,
`ExpertReview.Status.pending()`, `Application.objects.editable()`…) and the workflow table's action codes
(`ActionCode.ACCEPT`). Only the models, where the vocabulary is declared, and migrations, which freeze it,
may write a state as a literal; tests, benchmarks and scripts are not looked at.

A state is found by its name (an attribute or keyword called status, …_status, state, outcome or phase); in
a template also by its value (any value of those fields' choices, or of Call.Phase), so that a variable
renamed by {% with %} does not hide one.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.template.loader import render_to_string

from accounts.models import Organisation, Role
from applications.models import Application, Status
from applications.workflow import ACTIONS, ActionCode
from calls.models import Call
from documents.models import DocumentJob, JobStatus
from reviews.models import Decision, ExpertReview

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_FOLDERS = {".venv", "mutants", "node_modules", "static", "tests", "migrations", "bench", "scripts"}
# The modules that declare the vocabulary: a CheckConstraint there has to name a state by its value.
VOCABULARY_MODULE = "models.py"


def is_state_name(name):
    return name in ("status", "state", "outcome", "phase") or name.endswith("_status")


def state_values():
    """Every value a state can take: the choices of each state field of the platform's models, and Call.Phase."""
    values = set(Call.Phase.values)
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in apps.app_configs:
            continue  # Django's own apps (auth, admin…) are not ours to rule on
        for field in model._meta.get_fields():
            if is_state_name(field.name) and getattr(field, "choices", None):
                values |= {value for value, _ in field.choices}
    return values


ACTION_CODES = set(ACTIONS)


# --- Templates ---

TAG = re.compile(r"{%.*?%}", re.DOTALL)
OPERAND = r"""(?:"[^"]*"|'[^']*'|[\w.]+)"""
COMPARISON = re.compile(rf"({OPERAND})\s*(?:==|!=|\bnot\s+in\b|\bin\b)\s*({OPERAND})")


def template_comparisons(text, states):
    """(line, comparison) for each comparison in a template's tags of a state with a string."""
    for tag in TAG.finditer(text):
        for found in COMPARISON.finditer(tag.group()):
            left, right = found.groups()
            for literal, other in ((left, right), (right, left)):
                if literal[0] not in "\"'" or other[0] in "\"'":
                    continue
                if set(literal[1:-1].split()) & states or is_state_name(other.rsplit(".", 1)[-1]):
                    line = text.count("\n", 0, tag.start() + found.start()) + 1
                    yield line, found.group()
                    break


def template_files():
    folders = [ROOT / "templates"]
    folders += [Path(config.path) / "templates" for config in apps.get_app_configs()]
    for folder in folders:
        if folder.is_dir() and ROOT in folder.parents:
            yield from sorted(folder.rglob("*.html"))


def test_no_template_compares_a_state_with_a_string():
    states = state_values()
    found = [
        f"{path.relative_to(ROOT)}:{line} {comparison}"
        for path in template_files()
        for line, comparison in template_comparisons(path.read_text(encoding="utf-8"), states)
    ]
    assert found == []


@pytest.mark.parametrize(
    "template",
    [
        # As they were before the models answered these questions.
        '{% if application.status == "submitted" %}',
        "{% elif review.status == 'scoring' %}",
        '{% if line.status == "assigned" or line.status == "scoring" %}',
        "<span class=\"{% if status == 'submitted' %}status-approved{% endif %}\">",
        '{% if decision.outcome == "support" %}',
        '{% if call.phase == "open" %}',
        '{% if "returned" == app.status %}',
        '{% if app.state in "draft returned" %}',
        '{% with s=app.status %}{% if s != "draft" %}{% endif %}{% endwith %}',
    ],
)
def test_the_template_scan_finds_a_state_compared_with_a_string(template):
    assert list(template_comparisons(template, state_values()))


@pytest.mark.parametrize(
    "template",
    [
        "{% if application.awaits_bureau %}",
        '{% if tab == "joined" %}',  # a page's own tab, not a state
        '<span class="status status-{{ application.status }}">',  # shown, not compared
        '{% include "reviews/region/includes/review_status.html" with review=line.review %}',
    ],
)
def test_the_template_scan_lets_other_comparisons_be(template):
    assert list(template_comparisons(template, state_values())) == []


def test_the_template_scan_reports_the_line_of_the_comparison():
    text = "<p>\n{% if ok %}\n{% elif job.status\n == 'done' %}{% endif %}"
    assert [line for line, _ in template_comparisons(text, state_values())] == [3]


# --- Python ---


def literals(node):
    """The strings `node` spells: a string constant, or a tuple, list or set of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [item.value for item in node.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    return []


def name_of(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def names_a_state(node):
    return is_state_name(name_of(node) or "")


def holds_an_action(node):
    """A workflow action code: a `code` or a set of `codes`, an Action's `.code`, a Transition's `.action`.
    (A bare `action` is not one: the expert's score form names its 暂存/提交 button so.)"""
    if isinstance(node, ast.Name):
        return node.id in ("code", "codes")
    return isinstance(node, ast.Attribute) and node.attr in ("code", "action")


def spelled_states(tree):
    """(line, literal) for each state or workflow action written as a string where code decides by it."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for literal in [value for operand in operands for value in literals(operand)]:
                if any(map(names_a_state, operands)):
                    yield node.lineno, literal
                elif literal in ACTION_CODES and any(map(holds_an_action, operands)):
                    yield node.lineno, literal
        elif isinstance(node, ast.keyword) and node.arg:  # filter(status="…"), filter(action__in=(…))
            field = node.arg.split("__")[0]
            for literal in literals(node.value):
                if is_state_name(field) or (field in ("action", "code") and literal in ACTION_CODES):
                    yield node.value.lineno, literal
        elif isinstance(node, ast.BinOp) and (holds_an_action(node.left) or holds_an_action(node.right)):
            for literal in literals(node.left) + literals(node.right):  # codes & {"support", "reject"}
                if literal in ACTION_CODES:
                    yield node.lineno, literal
        elif isinstance(node, ast.Call) and name_of(node.func) in ("move", "refusal", "allowed"):
            for literal in [value for argument in node.args for value in literals(argument)]:
                if literal in ACTION_CODES:  # workflow.move(app, "accept", user)
                    yield node.lineno, literal
        elif isinstance(node, ast.Assign) and any("STATUS" in (name_of(target) or "") for target in node.targets):
            for literal in literals(node.value):  # a group of states as strings, beside no enum
                yield node.lineno, literal
        elif isinstance(node, ast.Subscript) and name_of(node.value) == "ACTIONS":
            for literal in literals(node.slice):
                if literal in ACTION_CODES:
                    yield node.lineno, literal


def python_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if SKIPPED_FOLDERS & set(parts) or path.name == VOCABULARY_MODULE or path.name == "conftest.py":
            continue
        yield path


def test_no_module_spells_a_state_or_an_action_as_a_string():
    found = [
        f"{path.relative_to(ROOT)}:{line} {literal!r}"
        for path in python_files()
        for line, literal in spelled_states(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


@pytest.mark.parametrize(
    "code",
    [
        # As they were before the enums and the workflow's codes were used.
        'if ordos and ordos.status == "submitted": pass',
        'applications.filter(status__in=("draft", "returned"))',
        'Transition.objects.filter(to_status="returned")',
        'transitions.filter(actor_role=Role.DEPARTMENT, action="region_return")',
        'workflow.move(app, "accept", user, now=now)',
        'may_establish = workflow.ACTIONS["establish"] in actions',
        'if action.code in ("submit", "resubmit"): pass',
        'resubmitted = transition.action == "resubmit"',
        'may_decide = bool(codes & {"support", "reject"})',
        'may_recommend = "recommend" in codes',
        'READABLE_REVIEW_STATUSES = ("scoring", "submitted")',
    ],
)
def test_the_python_scan_finds_a_state_or_an_action_spelled_as_a_string(code):
    assert list(spelled_states(ast.parse(code)))


@pytest.mark.parametrize(
    "code",
    [
        "applications.filter(status__in=Status.editable())",
        'if action not in ("save", "submit"): pass',  # the score form's button
        'if cell.kind == "accept": pass',  # a schema field type
        'render(request, "page.html", status=404)',
        'AuditEntry.objects.filter(action="export")',  # the audit log's own actions
    ],
)
def test_the_python_scan_lets_other_strings_be(code):
    assert list(spelled_states(ast.parse(code))) == []


# --- The groups, checked against the workflow table they summarise ---


def sources(*roles):
    return {state for action in ACTIONS.values() if action.role in roles for state in action.sources}


def test_the_applicant_may_edit_exactly_where_it_may_submit_from():
    assert set(Status.editable()) == sources(Role.APPLICANT) - {Status.SUBMITTED}  # 撤回 is not an edit
    assert set(Status.editable()) == set(ACTIONS[ActionCode.SUBMIT].sources + ACTIONS[ActionCode.RESUBMIT].sources)


def test_an_official_acts_next_exactly_in_the_waiting_states():
    assert set(Status.waiting()) == sources(Role.BUREAU, Role.DEPARTMENT, Role.EXPERT)


def test_no_action_leaves_a_closed_state():
    assert set(Status.closed()) == set(Status) - sources(*Role)


def test_official_is_every_state_but_a_draft_in_workflow_order():
    draft, *others = Status
    assert draft == Status.DRAFT and Status.official() == tuple(others)
    assert set(Status.official()) == set(Status.waiting()) | set(Status.closed()) | {Status.RETURNED}


def test_recommended_begins_where_the_bureau_recommends_to_and_accepted_where_the_region_accepts_to():
    assert Status.recommended()[0] == ACTIONS[ActionCode.RECOMMEND].target
    assert Status.accepted()[0] == ACTIONS[ActionCode.ACCEPT].target
    after = tuple(Status)[tuple(Status).index(Status.RECOMMENDED) :]
    assert Status.recommended() == tuple(s for s in after if s != Status.RETURNED)
    assert Status.accepted() == Status.recommended()[1:]


def test_an_experts_review_is_readable_after_declaring_no_conflict_and_pending_until_done():
    assert ExpertReview.Status.readable() == (ExpertReview.Status.SCORING, ExpertReview.Status.SUBMITTED)
    assert ExpertReview.Status.pending() == (ExpertReview.Status.ASSIGNED, ExpertReview.Status.SCORING)
    assert set(ExpertReview.Status.pending()) | set(ExpertReview.Status.finished()) == set(ExpertReview.Status)
    assert not set(ExpertReview.Status.pending()) & set(ExpertReview.Status.finished())


def test_a_document_job_is_pending_until_it_is_done_or_failed():
    assert set(JobStatus) - set(JobStatus.pending()) == {JobStatus.DONE, JobStatus.FAILED}


# --- The properties templates ask, one state each ---

APPLICATION_STATES = {
    "awaits_bureau": Status.SUBMITTED,
    "is_returned": Status.RETURNED,
    "awaits_acceptance": Status.RECOMMENDED,
    "in_expert_review": Status.UNDER_REVIEW,
    "awaits_decision": Status.AWAITING_DECISION,
    "is_publicising": Status.PUBLICISING,
    "is_not_supported": Status.NOT_SUPPORTED,
    "is_approved": Status.APPROVED,
}
APPLICATION_GROUPS = {
    "is_editable": Status.editable,
    "is_accepted": Status.accepted,
    "is_closed": Status.closed,
}
REVIEW_STATES = {
    "awaits_declaration": ExpertReview.Status.ASSIGNED,
    "is_scoring": ExpertReview.Status.SCORING,
    "is_submitted": ExpertReview.Status.SUBMITTED,
    "is_recused": ExpertReview.Status.RECUSED,
    "is_excluded": ExpertReview.Status.EXCLUDED,
}
REVIEW_GROUPS = {
    "is_readable": ExpertReview.Status.readable,
    "is_pending": ExpertReview.Status.pending,
    "is_finished": ExpertReview.Status.finished,
}


@pytest.mark.parametrize("status", Status)
def test_an_application_answers_for_its_own_state_and_groups_only(status):
    application = Application(status=status)
    assert {name for name in APPLICATION_STATES if getattr(application, name)} == {
        name for name, state in APPLICATION_STATES.items() if state == status
    }
    assert {name for name in APPLICATION_GROUPS if getattr(application, name)} == {
        name for name, group in APPLICATION_GROUPS.items() if status in group()
    }


@pytest.mark.parametrize("status", ExpertReview.Status)
def test_an_expert_review_answers_for_its_own_state_and_groups_only(status):
    review = ExpertReview(status=status)
    assert {name for name in REVIEW_STATES if getattr(review, name)} == {
        name for name, state in REVIEW_STATES.items() if state == status
    }
    assert {name for name in REVIEW_GROUPS if getattr(review, name)} == {
        name for name, group in REVIEW_GROUPS.items() if status in group()
    }


@pytest.mark.parametrize("status", JobStatus)
def test_a_document_job_answers_for_its_own_state(status):
    job = DocumentJob(status=status)
    answers = (job.is_queued, job.is_running, job.is_done, job.pending)
    expected = (status == JobStatus.QUEUED, status == JobStatus.RUNNING, status == JobStatus.DONE)
    assert answers == (*expected, status in (JobStatus.QUEUED, JobStatus.RUNNING))


@pytest.mark.parametrize("status", Organisation.Status)
def test_a_registration_answers_for_its_own_state(status):
    organisation = Organisation(status=status)
    answers = (organisation.is_pending, organisation.is_approved, organisation.is_rejected)
    assert answers == tuple(status == s for s in Organisation.Status)


def test_a_decision_supports_only_when_its_outcome_is_support():
    assert Decision(outcome=Decision.Outcome.SUPPORT).supports
    assert not Decision(outcome=Decision.Outcome.REJECT).supports


# --- The snippets that tell states apart, rendered for each one ---

PROGRESS_WORDS = ("尚未声明", "尚未评分", "总分", "声明回避于")


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (ExpertReview.Status.ASSIGNED, "尚未声明"),
        (ExpertReview.Status.SCORING, "尚未评分"),
        (ExpertReview.Status.SUBMITTED, "总分"),
        (ExpertReview.Status.RECUSED, "声明回避于"),
        (ExpertReview.Status.EXCLUDED, ""),
        (ExpertReview.Status.REMOVED, ""),
    ],
)
def test_an_experts_task_shows_the_progress_of_its_state(status, says):
    progress = render_to_string("reviews/expert/includes/task_progress.html", {"review": ExpertReview(status=status)})
    assert {word for word in PROGRESS_WORDS if word in progress} == ({says} if says else set())


@pytest.mark.parametrize(
    ("status", "css"),
    [
        (ExpertReview.Status.SUBMITTED, "status-approved"),
        (ExpertReview.Status.EXCLUDED, "status-unpublished"),
        (ExpertReview.Status.RECUSED, "status-unpublished"),
        (ExpertReview.Status.ASSIGNED, "status-pending"),
        (ExpertReview.Status.SCORING, "status-pending"),
        (ExpertReview.Status.REMOVED, "status-pending"),
    ],
)
def test_a_reviews_status_badge_is_coloured_by_its_state(status, css):
    badge = render_to_string("reviews/region/includes/review_status.html", {"review": ExpertReview(status=status)})
    assert f'class="status {css}"' in badge and f">{status.label}<" in badge


@pytest.mark.parametrize(
    ("outcome", "shows_amount", "reason_heading"),
    [(Decision.Outcome.SUPPORT, True, "支持意见"), (Decision.Outcome.REJECT, False, "不予支持理由")],
)
def test_a_decision_shows_the_amount_and_heading_of_its_outcome(outcome, shows_amount, reason_heading):
    decision = Decision(outcome=outcome, amount=120, reason="理由")
    record = render_to_string("reviews/region/includes/decision_record.html", {"decision": decision})
    assert ("奖补金额" in record) == shows_amount and f"<dt>{reason_heading}</dt>" in record
