"""The transition table of PRODUCT.md §5 as a test: every (state, action, role, scope) is allowed or refused.

The table is checked exhaustively through `workflow.refusal`, the one gate every move passes; then
each allowed move is taken for real and must record who, role, when, from, to, reason and version.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from applications import submission, workflow
from applications.models import Status, Transition
from regions.models import Region
from reviews import countersign, decisions, experts, initial_review
from reviews.models import Decision, ExpertReview, Objection
from tests import factories

pytestmark = pytest.mark.django_db

# Who may take each action, and on which states (PRODUCT.md §5) — written out again here on purpose,
# so a change to the table in workflow.py has to be made twice to pass.
EXPECTED = {
    "submit": ("own_applicant", {Status.DRAFT}),
    "resubmit": ("own_applicant", {Status.RETURNED}),
    "withdraw": ("own_applicant", {Status.SUBMITTED}),
    "bureau_return": ("lead_bureau", {Status.SUBMITTED}),
    "recommend": ("lead_bureau", {Status.SUBMITTED}),
    "region_return": ("department", {Status.RECOMMENDED}),
    "accept": ("department", {Status.RECOMMENDED}),
    "scoring_done": ("assigned_expert", {Status.UNDER_REVIEW}),
    "support": ("department", {Status.AWAITING_DECISION}),
    "reject": ("department", {Status.AWAITING_DECISION}),
    "establish": ("department", {Status.PUBLICISING}),
    "revoke": ("department", {Status.PUBLICISING}),  # with an objection found 成立 (test_publicity.py)
}


@pytest.fixture
def cast(media, call):
    """One submitted 包头 application (通辽 takes part) and one person of every kind around it."""
    app = factories.submitted_application("150200", data={"participating_regions": ["150500"]})
    participating = factories.user(Role.BUREAU, region_code="150500")
    # 通辽's 会签 of 第1版, which the call requires before 推荐 (test_countersign.py tries it missing).
    countersign.record_opinion(app, participating, True, "同意联合申报。")
    department = factories.user(Role.DEPARTMENT)
    expert = factories.user(Role.EXPERT, region_code="150100")
    ExpertReview.objects.create(
        application=app, version=app.latest_version, expert=expert, assigned_by=department, status="scoring"
    )
    # A 公示 that ended yesterday, so 立项 is open whenever the state allows it.
    yesterday = timezone.localdate() - timedelta(days=1)
    Decision.objects.create(
        application=app,
        version=app.latest_version,
        outcome=Decision.Outcome.SUPPORT,
        amount="300.00",
        publicity_starts=yesterday - timedelta(days=7),
        publicity_ends=yesterday,
        decided_by=department,
    )
    return app, {
        "own_applicant": app.created_by,
        "other_applicant": factories.user(Role.APPLICANT, region_code="150200"),
        "lead_bureau": factories.user(Role.BUREAU, region_code="150200"),
        "participating_bureau": participating,
        "other_bureau": factories.user(Role.BUREAU, region_code="150400"),
        "department": department,
        "assigned_expert": expert,
        "unassigned_expert": factories.user(Role.EXPERT, region_code="150100"),
        "system_admin": factories.user(Role.SYSTEM_ADMIN),
    }


def test_the_table_names_every_action_of_the_workflow():
    assert set(workflow.ACTIONS) == set(EXPECTED)


def test_every_state_action_and_actor_is_allowed_exactly_as_the_table_says(cast):
    app, people = cast
    assert app.participating_regions.filter(code="150500").exists()
    mismatches = []
    for code, (who, states) in EXPECTED.items():
        # 不予支持 during 公示 is offered on an objection found 成立, which in turn keeps 立项 closed.
        upheld = [_upheld_objection(app, people["department"])] if code == "revoke" else []
        for state in Status:
            app.status = state
            for name, person in people.items():
                expected = name == who and state in states
                refused = workflow.refusal(person, app, code)
                if expected != (refused is None):
                    mismatches.append((state.value, code, name, refused))
        Objection.objects.filter(pk__in=[o.pk for o in upheld]).delete()
    assert mismatches == []


def _upheld_objection(app, department):
    return Objection.objects.create(
        application=app, name="王建国", organisation="个人", phone="13904721234", content="数据不实。",
        result=Objection.Result.UPHELD, response="成立。", answered_by=department, answered_at=timezone.now(),
    )  # fmt: skip


def test_a_refusal_is_a_chinese_sentence_naming_the_action(cast):
    app, people = cast
    assert workflow.refusal(people["other_bureau"], app, "recommend") == "这份申报不在您的办理范围内，不能推荐。"
    assert workflow.refusal(people["department"], app, "recommend") == "只有盟市工信局可以推荐。"
    app.status = Status.RETURNED
    assert workflow.refusal(people["lead_bureau"], app, "recommend") == "申报书当前为“退回修改”，不能推荐。"


def _last(app):
    return Transition.objects.filter(application=app).order_by("-at", "-pk").first()


def _assert_recorded(app, code, actor, from_status, reason=""):
    app.refresh_from_db()
    transition = _last(app)
    assert (transition.action, transition.actor, transition.actor_role) == (code, actor, actor.role)
    assert (transition.from_status, transition.to_status) == (from_status, app.status)
    assert transition.version == app.latest_version
    assert transition.reason == reason
    assert timezone.now() - transition.at < timedelta(minutes=1)


def _recommend(app, bureau):
    for region in workflow.missing_countersigns(app):  # each resubmission asks the participating 盟市 again
        countersign.record_opinion(app, factories.user(Role.BUREAU, region_code=region.code), True, "同意。")
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "王伟、赵敏", "生产经营正常，数据属实")
    initial_review.recommend(app, bureau, "同意推荐", factories.upload("推荐文件.pdf"))


def _score_all(app, reviews):
    rubric = app.call.schema.rubric
    sheet = {f"score_{d.key}": str(d.weight - 3) for d in rubric} | {"opinion": "集群基础较好，规划可行。"}
    for review in reviews:
        experts.declare(review, review.expert, has_conflict=False)
        experts.submit_sheet(review, review.expert, sheet)


def test_every_allowed_move_records_who_role_when_from_to_reason_and_version(cast):
    app, people = cast
    applicant, bureau, department = people["own_applicant"], people["lead_bureau"], people["department"]
    ExpertReview.objects.filter(application=app).delete()
    Decision.objects.filter(application=app).delete()

    submission.withdraw(app, applicant)
    _assert_recorded(app, "withdraw", applicant, Status.SUBMITTED)
    submission.submit(app, applicant)
    _assert_recorded(app, "submit", applicant, Status.DRAFT)
    initial_review.return_for_revision(app, bureau, "请补充2023年研发投入说明")
    _assert_recorded(app, "bureau_return", bureau, Status.SUBMITTED, "请补充2023年研发投入说明")
    submission.submit(app, applicant, revision_note="已按退回意见修改。")
    _assert_recorded(app, "resubmit", applicant, Status.RETURNED, "已按退回意见修改。")
    assert app.latest_version.number == 3
    _recommend(app, bureau)
    _assert_recorded(app, "recommend", bureau, Status.SUBMITTED, "同意推荐")
    decisions.return_for_revision(app, department, "推荐文件未盖章")
    _assert_recorded(app, "region_return", department, Status.RECOMMENDED, "推荐文件未盖章")
    submission.submit(app, applicant, revision_note="已按退回意见修改。")
    app.refresh_from_db()
    _recommend(app, bureau)
    reviewer = factories.user(Role.EXPERT, region_code="150100")
    reviews = experts.assign(app, department, [reviewer])
    _assert_recorded(app, "accept", department, Status.RECOMMENDED)
    _score_all(app, reviews)
    _assert_recorded(app, "scoring_done", reviewer, Status.UNDER_REVIEW, "全部专家已提交评分或回避")
    today = timezone.localdate()
    decisions.support(app, department, "300.00", today, today + timedelta(days=7))
    _assert_recorded(app, "support", department, Status.AWAITING_DECISION, _last(app).reason)
    assert "300.00 万元" in _last(app).reason
    decisions.establish(app, department, now=timezone.now() + timedelta(days=9))
    _assert_recorded(app, "establish", department, Status.PUBLICISING, "公示期满无异议")
    assert app.status == Status.APPROVED


def test_establishing_is_not_offered_until_the_publicity_period_is_over(cast):
    app, people = cast
    app.status = Status.PUBLICISING
    decision = app.decision
    decision.publicity_ends = timezone.localdate()
    decision.save()
    assert workflow.refusal(people["department"], app, "establish").startswith("公示期至")
    assert "establish" not in {a.code for a in workflow.actions_for(people["department"], app)}
    tomorrow = timezone.now() + timedelta(days=1)
    assert workflow.refusal(people["department"], app, "establish", now=tomorrow) is None


def test_not_supporting_needs_a_reason_and_ends_the_application(cast):
    app, people = cast
    Decision.objects.filter(application=app).delete()
    app.status = Status.AWAITING_DECISION
    app.save()
    with pytest.raises(workflow.WorkflowRefused, match="须填写意见或理由"):
        decisions.reject(app, people["department"], "  ")
    decisions.reject(app, people["department"], "创新能力指标不足")
    _assert_recorded(app, "reject", people["department"], Status.AWAITING_DECISION, "创新能力指标不足")
    assert app.status == Status.NOT_SUPPORTED


@pytest.mark.parametrize(
    ("move", "who"),
    [
        (lambda app, user: initial_review.return_for_revision(app, user, "理由"), "participating_bureau"),
        (lambda app, user: initial_review.return_for_revision(app, user, "理由"), "department"),
        (lambda app, user: decisions.return_for_revision(app, user, "理由"), "department"),
        (lambda app, user: decisions.reject(app, user, "理由"), "department"),
        (lambda app, user: decisions.establish(app, user), "department"),
        (lambda app, user: experts.assign(app, user, []), "department"),
        (lambda app, user: submission.withdraw(app, user), "other_applicant"),
    ],
)
def test_a_refused_move_raises_and_writes_nothing(cast, move, who):
    app, people = cast
    before = Transition.objects.count()
    with pytest.raises((workflow.WorkflowRefused, submission.SubmissionRefused)):
        move(app, people[who])
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert Transition.objects.count() == before


def test_a_return_needs_a_reason(cast):
    app, people = cast
    with pytest.raises(workflow.WorkflowRefused, match="退回修改须填写意见或理由"):
        initial_review.return_for_revision(app, people["lead_bureau"], "")


def test_recommending_needs_a_site_visit_of_this_version_and_a_sealed_file(cast):
    app, people = cast
    bureau = people["lead_bureau"]
    with pytest.raises(workflow.WorkflowRefused, match="实地核实"):
        initial_review.recommend(app, bureau, "同意推荐", factories.upload())
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "王伟", "属实")
    with pytest.raises(workflow.WorkflowRefused, match="请上传盖章的推荐文件"):
        initial_review.recommend(app, bureau, "同意推荐", None)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED


def test_a_bureau_cannot_recommend_after_its_deadline_unless_the_region_extends_it(cast):
    app, people = cast
    tongliao_app = factories.submitted_application("150500")
    call = app.call
    call.recommend_deadline = timezone.now() - timedelta(hours=1)
    call.save()
    tongliao_app.call.refresh_from_db()
    bureau = people["lead_bureau"]
    assert "推荐截止时间" in workflow.refusal(bureau, app, "recommend")
    decisions.extend_recommend_deadline(
        call,
        Region.objects.get(code="150200"),
        timezone.now() + timedelta(days=2),
        "疫情影响实地核实",
        people["department"],
    )
    assert workflow.refusal(bureau, app, "recommend") is None
    tongliao_bureau = factories.user(Role.BUREAU, region_code="150500")
    assert "推荐截止时间" in workflow.refusal(tongliao_bureau, tongliao_app, "recommend")


def test_the_applicant_cannot_withdraw_after_the_deadline(cast):
    app, people = cast
    later = app.call.applicant_closes_at + timedelta(seconds=1)
    assert "截止" in workflow.refusal(people["own_applicant"], app, "withdraw", now=later)


def test_a_return_from_the_bureau_may_be_answered_after_the_applicant_window_closes(cast):
    app, people = cast
    initial_review.return_for_revision(app, people["lead_bureau"], "请核实产值")
    app.refresh_from_db()
    after_window = app.call.applicant_closes_at + timedelta(hours=1)
    assert workflow.refusal(people["own_applicant"], app, "resubmit", now=after_window) is None
    after_recommend = app.call.recommend_deadline + timedelta(seconds=1)
    assert "已经截止" in workflow.refusal(people["own_applicant"], app, "resubmit", now=after_recommend)


def test_after_a_region_return_the_bureau_handles_the_answer_until_the_acceptance_deadline(cast):
    app, people = cast
    call = app.call
    call.acceptance_deadline = call.recommend_deadline + timedelta(days=10)
    call.save()
    _recommend(app, people["lead_bureau"])
    decisions.return_for_revision(app, people["department"], "推荐文件未盖章")
    submission.submit(app, people["own_applicant"], revision_note="已按退回意见修改。")
    countersign.record_opinion(app, people["participating_bureau"], True, "同意。")
    app.refresh_from_db()
    after_own_deadline = call.recommend_deadline + timedelta(days=1)
    assert workflow.refusal(people["lead_bureau"], app, "recommend", now=after_own_deadline) is None
    after_acceptance = call.acceptance_deadline + timedelta(seconds=1)
    assert "推荐截止时间" in workflow.refusal(people["lead_bureau"], app, "recommend", now=after_acceptance)


def test_a_resubmission_answering_a_return_may_be_withdrawn_after_the_applicant_window(cast):
    app, people = cast
    initial_review.return_for_revision(app, people["lead_bureau"], "请核实产值")
    submission.submit(app, people["own_applicant"], revision_note="已按退回意见修改。")
    app.refresh_from_db()
    after_window = app.call.applicant_closes_at + timedelta(hours=1)
    assert workflow.refusal(people["own_applicant"], app, "withdraw", now=after_window) is None
    submission.withdraw(app, people["own_applicant"], now=after_window)
    app.refresh_from_db()
    assert app.status == Status.RETURNED


def test_a_refused_recommendation_leaves_no_stored_file_behind(cast, media):
    app, people = cast
    with pytest.raises(workflow.WorkflowRefused, match="实地核实"):
        initial_review.recommend(app, people["lead_bureau"], "同意推荐", factories.upload())
    stored = [p for p in media.rglob("*") if p.is_file() and "reviews" in p.parts]
    assert stored == []
