"""Every expert and 初审 step that is not a workflow move is audited too (docs/audit.md): one entry each, with
the actor, the object by its label (id and 申报编号), the result and the numbers that matter — never a
comment, an opinion, a statement or what a site visit found. An entry that cannot be written stops the step."""

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEntry
from reviews import experts, initial_review
from reviews.models import ExpertReview, SiteVisit
from tests import factories

COMMENT, OPINION, STATEMENT = "评语保密甲", "总体意见保密乙", "与申报单位负责人系亲属关系"


def _new(action, before):
    """The entries of `action` written since `before` (the highest seq then)."""
    return list(AuditEntry.objects.filter(action=action, seq__gt=before).order_by("seq"))


def _head():
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _label(review):
    return f"专家评审 #{review.pk}（申报书 {review.application.number}）"


def _sheet(app, **overrides):
    data = {f"score_{d.key}": str(d.weight - 2) for d in app.call.schema.rubric}
    data.update({f"comment_{d.key}": COMMENT for d in app.call.schema.rubric})
    data["opinion"] = OPINION
    data.update(overrides)
    return data


def _only(action, before):
    entries = _new(action, before)
    assert len(entries) == 1, [(e.action, e.object_repr) for e in entries]
    return entries[0]


def _no_text(entry, *texts):
    stored = f"{entry.object_repr} {entry.detail}"
    assert not [t for t in texts if t in stored]


@pytest.mark.django_db
def test_assigning_experts_records_each_assignment_and_whether_the_rules_excluded_it(recommended, department, expert):
    neighbour = factories.user(Role.EXPERT, region_code="150200", full_name="包头专家")  # same 盟市: excluded
    before = _head()
    experts.assign(recommended, department, [expert, neighbour])
    entries = _new("expert_assign", before)
    assert [(e.user, e.result, e.detail["expert"], e.detail["excluded"]) for e in entries] == [
        (department, "成功", expert.username, False),
        (department, "成功", neighbour.username, True),
    ]
    excluded = ExpertReview.objects.get(expert=neighbour)
    assert entries[1].object_repr == _label(excluded)
    _no_text(entries[1], excluded.exclusion_reason, "包头市")


@pytest.mark.django_db
def test_declaring_no_conflict_is_one_entry(under_review, expert):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    before = _head()
    experts.declare(review, expert, False)
    entry = _only("conflict_declare", before)
    assert (entry.user, entry.role, entry.result, entry.object_type) == (expert, "expert", "成功", "expertreview")
    assert entry.object_repr == _label(review)
    assert entry.detail == {
        "application": under_review.pk,
        "number": under_review.number,
        "conflict": False,
        "statement_chars": 0,
    }


@pytest.mark.django_db
def test_declaring_a_conflict_records_that_it_was_declared_not_what_was_said(under_review, expert):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    before = _head()
    experts.declare(review, expert, True, STATEMENT)
    entry = _only("conflict_declare", before)
    assert (entry.detail["conflict"], entry.detail["statement_chars"]) == (True, len(STATEMENT))
    _no_text(entry, STATEMENT)
    assert ExpertReview.objects.get(pk=review.pk).conflict_statement == STATEMENT  # kept where it belongs


@pytest.mark.django_db
def test_a_declaration_refused_records_nothing(under_review, expert):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    experts.declare(review, expert, False)
    before = _head()
    with pytest.raises(experts.ReviewRefused):
        experts.declare(review, expert, True, STATEMENT)
    assert _new("conflict_declare", before) == []


@pytest.mark.django_db
def test_saving_and_submitting_scores_record_the_total_never_the_comments(under_review, expert):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    experts.declare(review, expert, False)
    rubric = under_review.call.schema.rubric
    total = sum(d.weight - 2 for d in rubric)
    before = _head()
    experts.save_sheet(review, expert, _sheet(under_review))
    saved = _only("score_save", before)
    assert (saved.user, saved.result, saved.object_repr) == (expert, "成功", _label(review))
    assert saved.detail["total"] == f"{total:.1f}" and saved.detail["scored"] == len(rubric)
    assert (saved.detail["problems"], saved.detail["status"]) == (0, "scoring")
    _no_text(saved, COMMENT, OPINION)

    before = _head()
    experts.submit_sheet(review, expert, _sheet(under_review))
    submitted = _only("score_submit", before)
    assert (submitted.user, submitted.result, submitted.detail["status"]) == (expert, "成功", "submitted")
    assert submitted.detail["total"] == f"{total:.1f}"
    _no_text(submitted, COMMENT, OPINION)
    assert _new("score_save", before) == []
    # The last expert's submission moves the application on: that move is its own entry.
    assert _only("transition", before).detail["code"] == "scoring_done"


@pytest.mark.django_db
def test_submitting_an_incomplete_sheet_is_recorded_as_failed(under_review, expert):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    experts.declare(review, expert, False)
    before = _head()
    row, sheet = experts.submit_sheet(review, expert, _sheet(under_review, opinion=""))
    assert sheet.errors and row.status == ExpertReview.Status.SCORING
    entry = _only("score_submit", before)
    assert (entry.result, entry.detail["problems"], entry.detail["status"]) == ("失败", len(sheet.errors), "scoring")


@pytest.mark.django_db
def test_withdrawing_an_assignment_records_the_reasons_length(under_review, department, expert):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    before = _head()
    experts.withdraw_assignment(review, department, "逾期未评审")
    entry = _only("expert_withdraw", before)
    assert (entry.user, entry.object_repr, entry.detail["reason_chars"]) == (department, _label(review), 5)
    _no_text(entry, "逾期未评审")


@pytest.mark.django_db
def test_a_site_visit_is_one_entry_with_its_date_and_photo_count(media, call, bureau):
    app = factories.submitted_application("150200")
    before = _head()
    today = timezone.localdate()
    photos = [factories.upload("保密照片.png"), factories.upload("b.png")]
    visit = initial_review.record_site_visit(app, bureau, today, "核实人员张三", "核实发现保密", photos)
    entry = _only("site_visit", before)
    assert (entry.user, entry.role, entry.result) == (bureau, "bureau", "成功")
    assert (entry.object_type, entry.object_repr) == ("sitevisit", f"实地核实 #{visit.pk}（申报书 {app.number}）")
    assert entry.detail == {
        "application": app.pk,
        "number": app.number,
        "version": 1,
        "visited_on": today.isoformat(),
        "photos": 2,
    }
    _no_text(entry, "核实人员张三", "核实发现保密", "保密照片")


@pytest.mark.django_db
def test_a_refused_site_visit_records_nothing(media, call):
    app = factories.submitted_application("150200")
    stranger = factories.user(Role.BUREAU, region_code="150500")
    before = _head()
    with pytest.raises(initial_review.WorkflowRefused):
        initial_review.record_site_visit(app, stranger, timezone.localdate(), "某人", "某情况")
    assert _new("site_visit", before) == []


@pytest.mark.django_db
def test_a_step_whose_entry_cannot_be_written_does_not_happen(media, call, bureau, under_review, expert, monkeypatch):
    """The entry is written inside the step's transaction: when it fails, the step is rolled back."""

    def refuse(*args, **kwargs):
        raise RuntimeError("审计日志不可写")

    monkeypatch.setattr(experts, "record", refuse)
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    with pytest.raises(RuntimeError):
        experts.declare(review, expert, False)
    assert ExpertReview.objects.get(pk=review.pk).status == ExpertReview.Status.ASSIGNED

    monkeypatch.setattr(initial_review, "record", refuse)
    app = factories.submitted_application("150200")
    with pytest.raises(RuntimeError):
        initial_review.record_site_visit(app, bureau, timezone.localdate(), "某人", "某情况")
    assert not SiteVisit.objects.filter(application=app).exists()


@pytest.mark.django_db
def test_extending_a_bureaus_recommend_deadline_is_one_entry_without_the_reason(recommended, department):
    from datetime import timedelta

    from calls.models import DeadlineExtension
    from reviews import decisions

    call, region = recommended.call, recommended.lead_region
    until = max(timezone.now(), call.recommend_deadline) + timedelta(days=3)
    before = _head()
    decisions.extend_recommend_deadline(call, region, until, "实地核实受天气影响", department)
    entry = _only("deadline_extend", before)
    extension = DeadlineExtension.objects.get(call=call, region=region)
    assert (entry.user, entry.result, entry.object_type, entry.object_id) == (
        department,
        "成功",
        "deadlineextension",
        str(extension.pk),
    )
    assert (entry.detail["call"], entry.detail["region"], entry.detail["reason_chars"]) == (call.code, region.code, 9)
    _no_text(entry, "实地核实受天气影响")
