"""Who sees what on 统计分析: a 盟市 only what it leads or takes part in, on the page and in every download."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from applications.models import Status
from documents.tests.submitted import submitted
from regions.models import Region
from tests import factories

INDEX = reverse("dashboards:index")


@pytest.fixture
def spread(call):
    """包头 leads one; 乌兰察布 leads one 包头 takes part in; 鄂尔多斯 leads one; a draft in 包头 is never submitted."""
    joined = submitted(call, "150900", status=Status.RECOMMENDED, cluster_name="乌兰察布数据中心集群")
    joined.participating_regions.add(Region.objects.get(code="150200"))
    return {
        "led": submitted(call, status=Status.SUBMITTED, cluster_name="包头稀土新材料集群"),
        "joined": joined,
        "other": submitted(call, "150600", status=Status.RECOMMENDED, cluster_name="鄂尔多斯煤化工集群"),
        "draft": factories.application(factories.user(Role.APPLICANT), call, data={"cluster_name": "包头草稿集群"}),
    }


def page(client, **params):
    response = client.get(INDEX, params)
    assert response.status_code == 200
    return response.content.decode()


def download_links(html):
    return sorted({link.replace("&amp;", "&") for link in re.findall(r'href="(/dashboards/download/[^"]+)"', html)})


def workbook_text(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return " ".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)


def test_a_bureau_sees_what_its_region_leads_or_joins_and_nothing_of_another_region(client, bureau, spread):
    client.force_login(bureau)
    html = page(client)
    assert "包头市 统计分析" in html
    assert spread["led"].number in html and "包头稀土新材料集群" in html
    assert spread["joined"].number in html and "乌兰察布数据中心集群" in html
    assert spread["other"].number not in html and "鄂尔多斯煤化工集群" not in html
    assert "共 2 份申报" in html


def test_every_download_of_a_bureau_holds_only_its_own_scope(client, bureau, spread):
    client.force_login(bureau)
    links = download_links(page(client))
    assert len(links) >= 10
    everything = " ".join(workbook_text(client.get(link)) for link in links)
    assert spread["led"].number in everything and spread["joined"].number in everything
    assert spread["other"].number not in everything and "鄂尔多斯" not in everything
    assert "包头草稿集群" not in everything


def test_a_bureau_cannot_widen_its_dashboard_with_a_region_parameter(client, bureau, spread):
    client.force_login(bureau)
    ordos = Region.objects.get(code="150600")
    html = page(client, region=ordos.pk)
    assert spread["other"].number not in html
    assert 'name="region"' not in html
    text = workbook_text(client.get(reverse("dashboards:download", args=["group-1"]), {"region": ordos.pk}))
    assert spread["other"].number not in text and spread["led"].number in text


def test_another_bureau_sees_its_own_and_not_baotous(client, spread):
    client.force_login(factories.user(Role.BUREAU, region_code="150600"))
    html = page(client)
    assert "鄂尔多斯市 统计分析" in html
    assert spread["other"].number in html
    assert spread["led"].number not in html and spread["joined"].number not in html


def test_a_draft_never_appears_for_anyone(client, bureau, spread, call):
    withdrawn = submitted(call, status=Status.DRAFT, cluster_name="包头撤回集群")  # a version, back to draft
    for official in (bureau, factories.user(Role.DEPARTMENT)):
        client.force_login(official)
        html = page(client)
        assert spread["draft"].number not in html and "包头草稿集群" not in html
        assert withdrawn.number not in html and "包头撤回集群" not in html
        text = workbook_text(client.get(reverse("dashboards:download", args=["group-1"])))
        assert withdrawn.number not in text and spread["draft"].number not in text


def test_the_department_sees_every_region(client, spread):
    client.force_login(factories.user(Role.DEPARTMENT))
    html = page(client)
    assert all(spread[key].number in html for key in ("led", "joined", "other"))
    assert 'name="region"' in html


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_other_roles_are_refused_the_page_and_the_downloads(client, role, spread):
    client.force_login(factories.user(role))
    assert client.get(INDEX).status_code == 403
    assert client.get(reverse("dashboards:download", args=["status"])).status_code == 403
    assert client.get(reverse("dashboards:download", args=["group-1"])).status_code == 403


def test_someone_signed_out_is_sent_to_log_in(client, spread):
    response = client.get(INDEX)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(reverse("dashboards:download", args=["group-1"])).status_code == 302


def test_a_bureau_is_not_shown_how_experts_scored_recused_or_were_excluded(client, bureau, spread):
    client.force_login(bureau)
    page = client.get(reverse("dashboards:index")).content.decode()
    assert "专家评审进度" not in page
    assert client.get(reverse("dashboards:download", args=["scoring"])).status_code == 404
    client.force_login(factories.user(Role.DEPARTMENT))
    assert "专家评审进度" in client.get(reverse("dashboards:index")).content.decode()
    assert client.get(reverse("dashboards:download", args=["scoring"])).status_code == 200
