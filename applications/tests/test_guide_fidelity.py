"""Issue 20, 指南一致性: 表一's 否 answers block like the eligibility page's, seen through the pages an
applicant uses (the section, autosave, 提交前检查, 提交)."""

import json

import pytest
from django.urls import reverse

from applications.models import Status, Version

NOT_PROHIBITED = "集群主导产业属于国家规定的禁止、限制和淘汰类产业的，不符合申报条件。"
NO_ACCIDENTS = (
    "近三年发生过较大及以上安全、质量、环境污染等事故，或重大及以上网络安全事件和数据安全事件的，不符合申报条件。"
)
NO_VIOLATIONS = "存在偷税漏税、违法违规、严重失信或其他重大问题行为的，不符合申报条件。"
TABLE_ONE = {"not_prohibited": NOT_PROHIBITED, "no_accidents": NO_ACCIDENTS, "no_violations": NO_VIOLATIONS}


@pytest.fixture
def signed_in(client, applicant):
    client.force_login(applicant)
    return client


def check_page(client, app):
    return client.get(reverse("applications:check", args=[app.pk])).content.decode()


@pytest.mark.parametrize("key, message", TABLE_ONE.items())
def test_a_no_in_table_one_stops_the_check_page_and_the_submit_button(signed_in, ready, key, message):
    assert "可以提交" in check_page(signed_in, ready)
    ready.data[key] = "否"
    ready.save()
    page = check_page(signed_in, ready)
    assert f'<ul class="check-list blockers"><li>{message}</li>' in page
    assert "可以提交。" not in page and "以下问题处理完毕后才能提交" in page
    assert f"/section/basic/?check=1#cell-{key}" in page
    assert 'class="button" disabled>确认提交' in page


@pytest.mark.parametrize("key, message", TABLE_ONE.items())
def test_the_server_refuses_to_submit_a_no_in_table_one(signed_in, ready, key, message):
    ready.data[key] = "否"
    ready.save()
    response = signed_in.post(reverse("applications:submit", args=[ready.pk]), follow=True)
    assert message in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Status.DRAFT and not Version.objects.exists()


def test_yes_in_table_one_submits(signed_in, ready):
    assert all(ready.data[key] == "是" for key in TABLE_ONE)
    response = signed_in.post(reverse("applications:submit", args=[ready.pk]))
    assert response.url == reverse("applications:receipt", args=[ready.pk, 1])


def test_an_unanswered_declaration_is_only_missing_as_before(signed_in, ready):
    ready.data["no_accidents"] = ""
    ready.save()
    page = check_page(signed_in, ready)
    assert NO_ACCIDENTS not in page
    assert "请选择近三年未发生较大及以上安全" in page
    assert 'class="check-list blockers"' not in page  # missing answers are listed, not stated as disqualifying


def test_the_message_sits_beside_the_answer_once_saved(signed_in, draft):
    response = signed_in.post(
        reverse("applications:autosave", args=[draft.pk]),
        data=json.dumps({"version": 0, "changes": {"no_violations": "否"}}),
        content_type="application/json",
    )
    assert response.json()["errors"]["no_violations"] == NO_VIOLATIONS
    page = signed_in.get(reverse("applications:section", args=[draft.pk, "basic"])).content.decode()
    assert f'<p class="field-error" data-error-for="no_violations" id="err-no_violations">{NO_VIOLATIONS}</p>' in page
