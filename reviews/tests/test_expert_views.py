"""The 评审专家's pages: its task list, the conflict declaration before any content, and the score sheet."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications.models import Attachment, Status
from documents.tests.official import stored
from reviews import experts, initial_review
from reviews.models import ExpertReview
from reviews.views.expert import home_context
from tests import factories

FIGURE = "1402.60"  # 集群总产值 2023 in applications.demo.COMPLETE: content an undeclared expert must not see


def _review_of(app, expert):
    return ExpertReview.objects.get(application=app, expert=expert)


def _page(review):
    return reverse("reviews:expert_review", args=[review.pk])


def _declare(client, review, choice="none", statement=""):
    return client.post(reverse("reviews:expert_declare", args=[review.pk]), {"choice": choice, "statement": statement})


def _report_url(app):
    return reverse("documents:download", args=[app.pk, "report", "pdf"]) + "?version=1"


def _attachment_url(app):
    return reverse("applications:download", args=[Attachment.objects.filter(application=app).first().pk])


def _full_sheet(app, **overrides):
    data = {f"score_{d.key}": str(d.weight - 2) for d in app.call.schema.rubric}
    data.update({f"comment_{d.key}": f"{d.title}情况较好" for d in app.call.schema.rubric})
    data["opinion"] = "集群基础扎实，规划可行，建议支持。"
    data.update(overrides)
    return data


def _another_under_review(department, experts_to_assign, region_code="150500"):
    """A second application, from another 盟市, recommended by its own bureau and given to `experts_to_assign`."""
    bureau = factories.user(Role.BUREAU, region_code=region_code)
    app = factories.submitted_application(region_code)
    photos = [factories.upload("a.png")]
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "赵强", "核实无误。", photos)
    initial_review.recommend(app, bureau, "同意推荐。", factories.upload("推荐.pdf"))
    experts.assign(app, department, experts_to_assign)
    app.refresh_from_db()
    return app


@pytest.fixture
def declared(client, under_review, expert):
    """The expert has declared no conflict and is scoring; the client is signed in as it."""
    client.force_login(expert)
    review = _review_of(under_review, expert)
    _declare(client, review)
    review.refresh_from_db()
    assert review.status == ExpertReview.Status.SCORING
    return review


# --- The task list ---


def test_an_expert_sees_only_its_own_tasks(client, under_review, expert, department):
    other_expert = factories.user(Role.EXPERT, region_code="150300", affiliation="内蒙古大学")
    other_app = _another_under_review(department, [other_expert])
    client.force_login(expert)

    page = client.get(reverse("reviews:expert_tasks")).content.decode()

    assert under_review.number in page
    assert under_review.organisation.name in page
    assert other_app.number not in page
    assert [t.application.pk for t in home_context(expert)["pending_tasks"]] == [under_review.pk]


def test_the_task_list_shows_identity_and_deadline_but_no_figures(client, under_review, expert):
    call = under_review.call
    call.scoring_deadline = timezone.now() + timedelta(days=5, hours=3)
    call.save()
    client.force_login(expert)

    page = client.get(reverse("reviews:expert_tasks")).content.decode()

    assert "待声明" in page and "声明利益冲突" in page
    assert under_review.lead_region.name in page
    assert "还剩5天" in page.replace(" ", "").replace("\xa0", "")
    assert FIGURE not in page


def test_a_rule_excluded_expert_has_no_task(client, recommended, department, expert):
    same_city = factories.user(Role.EXPERT, region_code="150200", affiliation="包头职业技术学院")
    experts.assign(recommended, department, [expert, same_city])
    client.force_login(same_city)

    assert recommended.number not in client.get(reverse("reviews:expert_tasks")).content.decode()
    assert home_context(same_city)["pending_tasks"] == []
    excluded = _review_of(recommended, same_city)
    assert client.get(_page(excluded)).status_code == 404


def test_the_task_list_is_for_experts_only(client, under_review, bureau, department):
    for user in (bureau, department):
        client.force_login(user)
        assert client.get(reverse("reviews:expert_tasks")).status_code == 403


def test_home_context_counts_each_group(under_review, expert, department):
    second = _another_under_review(department, [expert])
    experts.declare(_review_of(second, expert), expert, has_conflict=True, statement="曾任该单位顾问")

    counts = {g.label: len(g.tasks) for g in home_context(expert)["task_groups"]}

    assert counts == {"待声明": 1, "评审中": 0, "已提交": 0, "已回避": 1}


# --- Scope: nobody else reaches the review or the application ---


def test_an_unassigned_expert_gets_404_on_the_review_and_everything_of_the_application(client, under_review, expert):
    stranger = factories.user(Role.EXPERT, region_code="150300", affiliation="内蒙古大学")
    review = _review_of(under_review, expert)
    experts.declare(review, expert, has_conflict=False)
    client.force_login(stranger)

    for url in (
        _page(review),
        reverse("reviews:expert_declare", args=[review.pk]),
        reverse("reviews:detail", args=[under_review.pk]),
        reverse("applications:overview", args=[under_review.pk]),
        _report_url(under_review),
        _attachment_url(under_review),
    ):
        response = client.post(url) if url.endswith("/declare/") else client.get(url)
        assert response.status_code == 404, url


def test_the_department_may_not_use_the_expert_review_page(client, under_review, expert, department):
    review = _review_of(under_review, expert)
    client.force_login(department)

    assert client.get(_page(review)).status_code == 404
    assert client.post(reverse("reviews:expert_declare", args=[review.pk]), {"choice": "none"}).status_code == 404
    assert _review_of(under_review, expert).status == ExpertReview.Status.ASSIGNED


# --- The conflict declaration ---


def test_before_declaring_the_page_shows_identity_only_and_documents_are_404(client, under_review, expert):
    client.force_login(expert)
    review = _review_of(under_review, expert)

    page = client.get(_page(review)).content.decode()

    assert "利益冲突声明" in page and "近三年与申报单位存在合作、经济往来" in page
    assert under_review.number in page and under_review.organisation.name in page
    assert FIGURE not in page
    assert 'name="score_' not in page
    assert client.get(_report_url(under_review)).status_code == 404
    assert client.get(_attachment_url(under_review)).status_code == 404


def test_declaring_no_conflict_opens_the_content_and_the_documents(client, under_review, expert):
    client.force_login(expert)
    review = _review_of(under_review, expert)

    response = _declare(client, review)

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ExpertReview.Status.SCORING and review.declared_at
    page = client.get(_page(review)).content.decode()
    assert FIGURE in page
    assert 'name="score_scale"' in page and 'inputmode="decimal"' in page
    assert "#section-basic" in page
    stored(under_review.latest_version)  # the worker made its official PDF (documents/official.py)
    assert client.get(_report_url(under_review)).status_code == 200
    assert client.get(_attachment_url(under_review)).status_code == 200


def test_declaring_a_conflict_without_a_statement_is_refused_and_changes_nothing(client, under_review, expert):
    client.force_login(expert)
    review = _review_of(under_review, expert)

    response = _declare(client, review, choice="conflict", statement="   ")

    assert response.status_code == 400
    assert "申请回避须说明存在的利益冲突情形" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ExpertReview.Status.ASSIGNED and review.declared_at is None
    assert FIGURE not in response.content.decode()


def test_a_declaration_without_a_choice_keeps_the_typed_statement(client, under_review, expert):
    client.force_login(expert)
    review = _review_of(under_review, expert)

    response = _declare(client, review, choice="", statement="本人曾于2022年为该促进会提供咨询")

    assert response.status_code == 400
    page = response.content.decode()
    assert "请选择是否存在利益冲突" in page
    assert "本人曾于2022年为该促进会提供咨询" in page
    assert _review_of(under_review, expert).status == ExpertReview.Status.ASSIGNED


def test_a_recused_expert_sees_its_statement_and_no_content(client, under_review, expert):
    client.force_login(expert)
    review = _review_of(under_review, expert)

    _declare(client, review, choice="conflict", statement="本人近三年与该促进会有横向课题合作")

    review.refresh_from_db()
    assert review.status == ExpertReview.Status.RECUSED
    page = client.get(_page(review)).content.decode()
    assert "已申请回避" in page and "本人近三年与该促进会有横向课题合作" in page
    assert FIGURE not in page
    assert client.get(_report_url(under_review)).status_code == 404
    assert _declare(client, review).status_code == 302
    assert _review_of(under_review, expert).status == ExpertReview.Status.RECUSED


def test_get_changes_nothing_and_the_declaration_must_be_posted(client, under_review, expert):
    client.force_login(expert)
    review = _review_of(under_review, expert)

    assert client.get(reverse("reviews:expert_declare", args=[review.pk]) + "?choice=none").status_code == 405
    client.get(_page(review) + "?action=submit&choice=none")

    assert _review_of(under_review, expert).status == ExpertReview.Status.ASSIGNED


# --- The score sheet ---


def test_saving_partial_scores_keeps_them(client, declared):
    response = client.post(_page(declared), {"action": "save", "score_scale": "15.5", "comment_scale": "产值规模较大"})

    assert response.status_code == 302
    declared.refresh_from_db()
    assert declared.scores == {"scale": "15.5"}
    assert declared.comments["scale"] == "产值规模较大"
    assert declared.status == ExpertReview.Status.SCORING
    page = client.get(_page(declared)).content.decode()
    assert 'value="15.5"' in page and "产值规模较大" in page
    assert "已保存合计" in page and "15.5" in page


def test_an_invalid_score_is_shown_next_to_its_field_and_other_typed_values_are_kept(client, declared):
    response = client.post(
        _page(declared),
        {
            "action": "save",
            "score_scale": "25",
            "score_innovation": "abc",
            "score_digital": "12",
            "comment_green": "碳排放监测机制健全",
            "opinion": "总体意见草稿",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    scale_error = page.split('id="score_scale_error"')[1].split("</p>")[0]
    assert "满分 20 分" in scale_error
    assert 'id="score_innovation_error"' in page
    assert 'value="25"' in page and 'value="abc"' in page and 'value="12"' in page
    assert "碳排放监测机制健全" in page and "总体意见草稿" in page
    declared.refresh_from_db()
    assert declared.scores == {"digital": "12.0"}


def test_submitting_an_incomplete_sheet_names_what_is_missing_and_submits_nothing(client, declared):
    response = client.post(_page(declared), _full_sheet(declared.application, action="submit", opinion=""))

    assert response.status_code == 400
    assert "请填写总体评审意见" in response.content.decode()
    declared.refresh_from_db()
    assert declared.status == ExpertReview.Status.SCORING


def test_submitting_complete_scores_makes_the_sheet_read_only_and_the_last_expert_moves_the_application_on(
    client, declared, department
):
    app = declared.application
    second = factories.user(Role.EXPERT, region_code="150300", affiliation="内蒙古大学")
    experts.assign(app, department, [second])
    (second_review,) = [r for r in app.expert_reviews.all() if r.expert_id == second.pk]

    assert client.post(_page(declared), _full_sheet(app, action="submit")).status_code == 302

    declared.refresh_from_db()
    app.refresh_from_db()
    assert declared.status == ExpertReview.Status.SUBMITTED and declared.submitted_at
    assert app.status == Status.UNDER_REVIEW  # the second expert has not finished
    page = client.get(_page(declared)).content.decode()
    assert 'name="score_scale"' not in page and "提交评分</button>" not in page
    assert "提交时间" in page and str(declared.total) in page
    again = client.post(_page(declared), _full_sheet(app, action="save", score_scale="1"))
    assert again.status_code == 409 and "评分已提交，不能修改" in again.content.decode()

    client.force_login(second)
    _declare(client, second_review)
    client.post(_page(second_review), _full_sheet(app, action="submit"))
    app.refresh_from_db()
    assert app.status == Status.AWAITING_DECISION


def test_after_the_scoring_deadline_saving_is_refused(client, declared):
    client.post(_page(declared), {"action": "save", "score_scale": "10"})
    call = declared.application.call
    call.scoring_deadline = timezone.now() - timedelta(minutes=1)
    call.save()

    response = client.post(_page(declared), {"action": "save", "score_scale": "18", "comment_scale": "迟到的评语"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "专家评审已于" in page and "截止，不能再修改评分" in page
    assert "迟到的评语" in page
    declared.refresh_from_db()
    assert declared.scores == {"scale": "10.0"}
    assert 'name="score_scale"' not in client.get(_page(declared)).content.decode()
