"""Who may see the 汇总表 and 推荐清单 pages and files, and what their filters do."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from applications.models import Status
from documents import jobs
from documents.tests.submitted import submitted
from portal.navigation import menu_for
from tests import factories

SUMMARY_URLS = ["documents:summary", "documents:summary_xlsx", "documents:summary_pdf"]
RECOMMENDATION_URLS = ["documents:recommendation_list", "documents:recommendation_xlsx", "documents:recommendation_pdf"]


@pytest.fixture
def spread(call):
    """Applications in 包头市 and 鄂尔多斯市 in several states."""
    return {
        "baotou_submitted": submitted(call, status=Status.SUBMITTED, cluster_name="包头稀土新材料集群"),
        "baotou_recommended": submitted(call, status=Status.RECOMMENDED, cluster_name="包头装备制造集群"),
        "ordos_recommended": submitted(call, "150600", status=Status.RECOMMENDED, cluster_name="鄂尔多斯煤化工集群"),
    }


def page_text(client, url_name="documents:summary", **params):
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return response.content.decode()


def xlsx_names(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return {row[2] for row in sheet.iter_rows(min_row=4, values_only=True)}


def test_the_department_sees_every_region_and_no_draft(client, department, call, spread):
    draft = factories.application(factories.user(Role.APPLICANT), call)
    client.force_login(department)
    page = page_text(client)
    for app in spread.values():
        assert app.number in page
    assert draft.number not in page
    assert "导出Excel" in page and "导出PDF" in page


def test_a_bureau_sees_only_the_applications_its_region_leads(client, bureau, call, spread):
    client.force_login(bureau)
    page = page_text(client)
    assert spread["baotou_submitted"].number in page
    assert spread["ordos_recommended"].number not in page
    assert 'name="region"' not in page
    response = client.get(reverse("documents:summary_xlsx"), {"call": call.pk})
    assert xlsx_names(response) == {"包头稀土新材料集群", "包头装备制造集群"}


def test_a_bureau_cannot_widen_its_summary_with_a_region_parameter(client, bureau, call, spread):
    client.force_login(bureau)
    ordos = spread["ordos_recommended"].lead_region_id
    response = client.get(reverse("documents:summary_xlsx"), {"call": call.pk, "region": ordos})
    assert xlsx_names(response) == {"包头稀土新材料集群", "包头装备制造集群"}


def test_the_filters_narrow_the_summary_by_region_status_and_name(client, department, call, spread):
    client.force_login(department)
    ordos = spread["ordos_recommended"].lead_region_id
    by_region = client.get(reverse("documents:summary_xlsx"), {"call": call.pk, "region": ordos})
    assert xlsx_names(by_region) == {"鄂尔多斯煤化工集群"}
    by_status = client.get(reverse("documents:summary_xlsx"), {"call": call.pk, "status": "recommended"})
    assert xlsx_names(by_status) == {"包头装备制造集群", "鄂尔多斯煤化工集群"}
    by_name = client.get(reverse("documents:summary_xlsx"), {"call": call.pk, "name": "稀土"})
    assert xlsx_names(by_name) == {"包头稀土新材料集群"}


def test_the_name_filter_searches_the_submitted_version_not_a_draft_in_progress(client, department, call, spread):
    returned = spread["baotou_recommended"]
    returned.data["cluster_name"] = "草稿里的新名字"
    returned.save()
    client.force_login(department)
    assert xlsx_names(client.get(reverse("documents:summary_xlsx"), {"call": call.pk, "name": "草稿里"})) == set()
    found = client.get(reverse("documents:summary_xlsx"), {"call": call.pk, "name": "装备制造"})
    assert xlsx_names(found) == {"包头装备制造集群"}


def test_the_export_buttons_carry_the_filters_on_screen(client, department, call, spread):
    client.force_login(department)
    page = page_text(client, call=call.pk, status="recommended", name="集群")
    query = f"call={call.pk}&amp;status=recommended&amp;name={quote('集群')}"
    assert f"{reverse('documents:summary_xlsx')}?{query}" in page
    assert f"{reverse('documents:summary_pdf')}?{query}" in page
    assert spread["baotou_submitted"].number not in page


def test_an_unknown_call_is_refused_rather_than_guessed(client, department, call):
    client.force_login(department)
    response = client.get(reverse("documents:summary_xlsx"), {"call": "999999"})
    assert response.status_code == 400
    assert "请从列表中选择申报批次" in response.content.decode()


def test_downloads_are_named_in_chinese(client, bureau, call, spread, media):
    client.force_login(bureau)
    job_page = client.post(f"{reverse('documents:summary_pdf')}?call={call.pk}").url
    jobs.work(once=True)  # the PDF is made off the request (documents/tests/test_jobs.py)
    response = client.get(job_page + "download/")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert quote("包头市2024年内蒙古自治区先进制造业集群项目申报汇总表") in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_recommendation_page_lists_the_bureaus_recommended_applications(client, bureau, call, spread):
    client.force_login(bureau)
    page = page_text(client, "documents:recommendation_list")
    assert spread["baotou_recommended"].number in page
    assert spread["baotou_submitted"].number not in page
    assert spread["ordos_recommended"].number not in page
    response = client.get(reverse("documents:recommendation_xlsx"), {"call": call.pk})
    assert xlsx_names(response) == {"包头装备制造集群"} | {None}  # the lines to sign below the table
    assert quote("包头市2024年内蒙古自治区先进制造业集群项目推荐清单") in response["Content-Disposition"]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT, Role.SYSTEM_ADMIN])
def test_other_roles_are_refused_every_list(client, role, call):
    client.force_login(factories.user(role))
    for name in SUMMARY_URLS + RECOMMENDATION_URLS:
        ask = client.post if name == "documents:summary_pdf" else client.get  # the PDF is queued by a POST
        assert ask(f"{reverse(name)}?call={call.pk}").status_code == 403, name


def test_the_department_has_no_recommendation_list(client, department, call):
    client.force_login(department)
    for name in RECOMMENDATION_URLS:
        assert client.get(reverse(name), {"call": call.pk}).status_code == 403, name


def test_someone_signed_out_is_sent_to_log_in(client, call):
    response = client.get(reverse("documents:summary"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_menus_offer_the_lists_to_the_roles_that_may_open_them(bureau, department):
    assert [label for _, label in menu_for(bureau)][-2:] == ["汇总表", "推荐清单"]
    assert "汇总表" in [label for _, label in menu_for(department)]
    assert "推荐清单" not in [label for _, label in menu_for(department)]
