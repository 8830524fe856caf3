"""The review page: who may open it, what it shows of the frozen version, history, files, 退回, redirects."""

import hashlib
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications import submission
from applications.models import Application, Status
from documents.tests.official import stored
from regions.models import Region
from reviews import experts, initial_review
from reviews.models import Recommendation, SiteVisitPhoto
from tests import factories


def detail_url(app):
    return reverse("reviews:detail", args=[app.pk])


def page_of(client, user, app):
    client.force_login(user)
    response = client.get(detail_url(app))
    assert response.status_code == 200
    return response.content.decode()


def submitted(region_code="150200", **data):
    return factories.submitted_application(region_code, data=data or None)


def applicant_of(app):
    return app.organisation.users.get(role=Role.APPLICANT)


def test_the_lead_bureau_reads_the_frozen_version_with_its_documents_and_files(client, bureau, media, call):
    app = submitted(cluster_name="包头稀土新材料产业集群")
    stored(app.latest_version)  # the worker made its official PDF (documents/official.py)
    page = page_of(client, bureau, app)
    assert "包头稀土新材料产业集群" in page and app.organisation.name in page
    assert "第1版" in page and "二、主导产业情况" in page
    assert f"{reverse('documents:download', args=[app.pk, 'report', 'pdf'])}?version=1" in page
    assert f"{reverse('documents:workbook', args=[app.pk])}?version=1" in page
    first_file = app.latest_version.attachments[0]
    assert reverse("applications:download", args=[first_file["id"]]) in page
    assert first_file["sha256"][:12] in page
    assert app.call.schema.slot(first_file["slot"]).label in page


def test_the_page_shows_the_version_not_the_draft_being_edited(client, bureau, media, call):
    app = submitted(cluster_name="提交时的名称")
    Application.objects.filter(pk=app.pk).update(data={**app.data, "cluster_name": "修改中的名称"})
    page = page_of(client, bureau, app)
    assert "提交时的名称" in page and "修改中的名称" not in page


def test_every_cross_check_warning_is_listed_and_shown_in_its_section(client, bureau, media, call):
    app = submitted(little_giants__2023="80", patents_per_10k="300.00")
    page = page_of(client, bureau, app)
    assert "交叉核验提示 2 条" in page
    assert page.count("多于专精特新中小企业 67 家") == 2  # in the summary and in its section's box
    assert page.count("每万人有效发明专利拥有量填报为 300.00") == 2
    assert 'href="#section-industry"' in page and 'href="#section-innovation"' in page
    industry = page.index('id="section-industry"')
    assert page.index('class="warning-box"', industry) < page.index("<table", industry)


def test_a_version_without_warnings_says_so(client, bureau, media, call):
    assert "交叉核验提示 0 条" in page_of(client, bureau, submitted())


def test_tables_keep_their_spans_and_header_cells_without_inline_styles(client, bureau, media, call):
    page = page_of(client, bureau, submitted())
    assert "<th" in page and 'colspan="2"' in page
    assert " style=" not in page


def test_another_regions_bureau_gets_not_found(client, media, call):
    app = submitted("150200")
    client.force_login(factories.user(Role.BUREAU, region_code="150500"))
    assert client.get(detail_url(app)).status_code == 404


def test_an_expert_gets_not_found_even_when_assigned(client, media, call, bureau):
    app = submitted()
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "张伟", "属实")
    initial_review.recommend(app, bureau, "同意推荐。", factories.upload("推荐文件.pdf"))
    expert = factories.user(Role.EXPERT, region_code="150100")
    experts.assign(app, factories.user(Role.DEPARTMENT), [expert])
    client.force_login(expert)
    assert client.get(detail_url(app)).status_code == 404


def test_an_applicant_opening_the_review_page_is_sent_to_its_overview(client, media, call):
    app = submitted()
    client.force_login(applicant_of(app))
    response = client.get(detail_url(app))
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:overview", args=[app.pk])


def test_a_participating_bureau_reads_but_is_offered_no_action(client, media, call):
    app = submitted("150500")
    app.participating_regions.add(Region.objects.get(code="150200"))
    page = page_of(client, factories.user(Role.BUREAU, region_code="150200"), app)
    assert "只能查看" in page
    for name in ("return", "site_visit", "recommend"):
        assert reverse(f"reviews:{name}", args=[app.pk]) not in page


def test_the_lead_bureau_is_offered_site_visit_return_and_recommend(client, bureau, media, call):
    app = submitted()
    page = page_of(client, bureau, app)
    for name in ("return", "site_visit", "recommend"):
        assert reverse(f"reviews:{name}", args=[app.pk]) in page
    assert "推荐前须先记录对本版" in page


def test_after_its_deadline_the_bureau_is_told_why_it_cannot_recommend(client, bureau, media, call):
    app = submitted()
    call.recommend_deadline = timezone.now() - timedelta(minutes=1)
    call.save()
    page = page_of(client, bureau, app)
    assert "推荐截止时间" in page and "延长截止时间" in page
    assert reverse("reviews:recommend", args=[app.pk]) not in page


def test_the_history_lists_every_transition_with_who_and_why(client, bureau, media, call):
    app = submitted()
    initial_review.return_for_revision(app, bureau, "请补充研发投入佐证材料。")
    page = page_of(client, factories.user(Role.DEPARTMENT), app)
    assert "请补充研发投入佐证材料。" in page
    assert "包头审核员" in page and "包头市工业和信息化局 · 盟市工信局）" in page
    assert "待盟市初审 → 退回修改" in page and "草稿 → 待盟市初审" in page


def test_a_resubmitted_version_links_to_what_changed_since_the_return(client, bureau, media, call):
    app = submitted()
    assert reverse("reviews:changes", args=[app.pk]) not in page_of(client, bureau, app)
    initial_review.return_for_revision(app, bureau, "请核实产值。")
    submission.submit(Application.objects.get(pk=app.pk), applicant_of(app), revision_note="已按退回意见修改。")
    page = page_of(client, bureau, app)
    assert "查看自上次退回以来的修改" in page
    assert reverse("reviews:changes", args=[app.pk]) in page


def test_the_department_is_offered_acceptance_and_return_for_a_recommended_application(client, recommended, department):
    page = page_of(client, department, recommended)
    assert reverse("reviews:accept", args=[recommended.pk]) in page
    assert reverse("reviews:return", args=[recommended.pk]) in page
    assert reverse("reviews:decide", args=[recommended.pk]) not in page
    assert reverse("reviews:scores", args=[recommended.pk]) not in page


def test_the_department_follows_scores_once_experts_are_assigned(client, under_review, department):
    page = page_of(client, department, under_review)
    assert reverse("reviews:scores", args=[under_review.pk]) in page
    assert reverse("reviews:accept", args=[under_review.pk]) not in page


def test_site_visits_and_the_recommendation_are_shown_with_their_files(client, recommended, department):
    page = page_of(client, department, recommended)
    photo = SiteVisitPhoto.objects.get()
    sealed = Recommendation.objects.get()
    assert "张伟、刘芳" in page and "经初审和实地核实，同意推荐。" in page
    assert reverse("reviews:file", args=["photo", photo.pk]) in page
    assert reverse("reviews:file", args=["recommendation", sealed.pk]) in page


def test_review_files_download_with_their_name_for_officials_in_scope(client, recommended, bureau, department):
    photo = SiteVisitPhoto.objects.get()
    for user in (bureau, department):
        client.force_login(user)
        response = client.get(reverse("reviews:file", args=["photo", photo.pk]))
        assert response.status_code == 200
        assert (
            "attachment" in response["Content-Disposition"]
            and "%E7%8E%B0%E5%9C%BA.png" in response["Content-Disposition"]
        )
        assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_review_files_are_not_found_outside_scope(client, recommended):
    sealed = Recommendation.objects.get()
    url = reverse("reviews:file", args=["recommendation", sealed.pk])
    for user in (
        factories.user(Role.BUREAU, region_code="150500"),
        applicant_of(recommended),
        factories.user(Role.EXPERT, region_code="150100"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(factories.user(Role.DEPARTMENT))
    assert client.get(reverse("reviews:file", args=["secrets", sealed.pk])).status_code == 404
    assert client.get(reverse("reviews:file", args=["recommendation", sealed.pk + 100])).status_code == 404


def test_return_requires_a_reason_and_keeps_nothing_changed(client, bureau, media, call):
    app = submitted()
    client.force_login(bureau)
    response = client.post(reverse("reviews:return", args=[app.pk]), {"reason": "   "})
    assert response.status_code == 400
    assert "请填写退回理由" in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_a_refused_return_keeps_the_typed_reason(client, bureau, media, call):
    app = submitted()
    call.recommend_deadline = timezone.now() - timedelta(minutes=1)
    call.save()
    client.force_login(bureau)
    response = client.post(reverse("reviews:return", args=[app.pk]), {"reason": "第三节数据与佐证不符"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "第三节数据与佐证不符" in page and "推荐截止时间" in page
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_the_lead_bureau_returns_with_a_reason_the_applicant_then_reads(client, bureau, media, call):
    app = submitted()
    client.force_login(bureau)
    response = client.post(reverse("reviews:return", args=[app.pk]), {"reason": "请补充标准清单盖章件。"})
    assert response.status_code == 302 and response["Location"] == detail_url(app)
    assert Application.objects.get(pk=app.pk).status == Status.RETURNED
    client.force_login(applicant_of(app))
    page = client.get(reverse("applications:overview", args=[app.pk])).content.decode()
    assert "审核意见" in page and "请补充标准清单盖章件。" in page
    assert "包头市工业和信息化局" in page and "退回修改" in page
    assert "请根据退回意见修改后重新提交" in page and "修改从最近提交的版本（第1版）开始" in page


def test_the_department_returns_a_recommended_application(client, recommended, department):
    client.force_login(department)
    response = client.post(reverse("reviews:return", args=[recommended.pk]), {"reason": "推荐文件未盖章。"})
    assert response.status_code == 302
    assert Application.objects.get(pk=recommended.pk).status == Status.RETURNED


def test_a_participating_bureau_cannot_return(client, media, call):
    app = submitted("150500")
    app.participating_regions.add(Region.objects.get(code="150200"))
    client.force_login(factories.user(Role.BUREAU, region_code="150200"))
    assert client.post(reverse("reviews:return", args=[app.pk]), {"reason": "不行"}).status_code == 403
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_the_applicant_cannot_return_its_own_application(client, media, call):
    app = submitted()
    client.force_login(applicant_of(app))
    assert client.post(reverse("reviews:return", args=[app.pk]), {"reason": "x"}).status_code == 404
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_reviewers_opening_the_applicants_editor_are_sent_to_their_own_pages(client, bureau, media, call):
    app = submitted()
    client.force_login(bureau)
    for name, args in (
        ("applications:overview", [app.pk]),
        ("applications:section", [app.pk, "industry"]),
        ("applications:attachments", [app.pk]),
        ("applications:check", [app.pk]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"] == detail_url(app), name


def test_an_expert_opening_the_editor_is_sent_to_its_tasks(client, under_review, expert):
    experts.declare(under_review.expert_reviews.get(expert=expert), expert, has_conflict=False)
    client.force_login(expert)
    response = client.get(reverse("applications:section", args=[under_review.pk, "industry"]))
    assert response.status_code == 302 and response["Location"] == reverse("reviews:expert_tasks")


def test_reviewers_still_download_the_frozen_attachments(client, bureau, media, call):
    app = submitted()
    client.force_login(bureau)
    frozen = app.latest_version.attachments[0]
    response = client.get(reverse("applications:download", args=[frozen["id"]]))
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == frozen["sha256"]
