import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from audit.log import record
from audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def _pages():
    entry = record("export", object_type="test")
    return [
        reverse("audit:list"),
        reverse("audit:detail", args=[entry.seq]),
        reverse("audit:export"),
        reverse("audit:integrity"),
    ]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.AUDIT_ADMIN])
def test_every_other_role_is_refused_every_audit_page(client, role):
    client.force_login(factories.user(role))
    for url in _pages():
        assert client.get(url).status_code == 403, (role, url)


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    for url in _pages():
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_audit_admin_sees_the_list_and_the_menu_entry(client, auditor):
    client.force_login(auditor)
    record("transition", object_type="application", object_id="7", object_repr="NMG-2024-007 稀土集群")
    page = client.get(reverse("audit:list")).content.decode()
    assert "NMG-2024-007 稀土集群" in page
    assert "流程流转" in page
    assert reverse("audit:list") in client.get(reverse("portal:home")).content.decode()


def _listed(client, **query):
    response = client.get(reverse("audit:list"), query)
    assert response.status_code == 200
    return [e.seq for e in response.context["page"]]


def test_the_list_filters_by_user_action_result_object_and_date(client, auditor, applicant):
    client.force_login(auditor)  # entry 1: the auditor's login
    a = record("login_failed", username="someone", result="失败")
    b = record("download", user=applicant, object_type="application", object_id="42", object_repr="NMG-42 集群")
    assert set(_listed(client, user="someone")) == {a.seq}
    assert set(_listed(client, action="download")) == {b.seq}
    assert set(_listed(client, result="失败")) == {a.seq}
    assert set(_listed(client, object="42")) == {b.seq}
    assert set(_listed(client, object="NMG-42")) == {b.seq}
    today = b.at.astimezone().date().isoformat()
    assert b.seq in _listed(client, date_from=today, date_to=today)
    assert _listed(client, date_from="2000-01-01", date_to="2000-01-02") == []


def test_a_bad_filter_is_a_clear_error(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit:list"), {"date_from": "2024-05-02", "date_to": "2024-05-01"})
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期" in response.content.decode()
    assert client.get(reverse("audit:list"), {"date_from": "not-a-date"}).status_code == 400


def test_the_list_is_paginated(client, auditor):
    client.force_login(auditor)
    for i in range(60):
        record("export", object_type="test", object_id=str(i))
    first = client.get(reverse("audit:list"), {"action": "export"})
    assert len(first.context["page"]) == 50
    second = client.get(reverse("audit:list"), {"action": "export", "page": 2})
    assert len(second.context["page"]) == 10
    assert "action=export&amp;page=2" in first.content.decode()


def test_an_entry_has_its_own_page(client, auditor):
    client.force_login(auditor)
    entry = record("download", object_type="application", object_id="9", detail={"document": "report"})
    page = client.get(reverse("audit:detail", args=[entry.seq])).content.decode()
    assert entry.hash in page and entry.prev_hash in page and "report" in page
    assert "下载（download）" in page
    assert client.get(reverse("audit:detail", args=[99999])).status_code == 404


def test_the_export_is_filtered_keeps_numbers_as_numbers_and_neutralises_formulas(client, auditor):
    client.force_login(auditor)
    record("download", username="=cmd|' /C calc'!A0", object_type="application", object_id="12", object_repr="+SUM(1)")
    record("login", username="other")
    response = client.get(reverse("audit:export"), {"action": "download"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [row for row in sheet.iter_rows(min_row=4) if row[0].value is not None]
    assert len(rows) == 1
    seq, _, username, *_ = rows[0]
    assert isinstance(seq.value, int)
    assert rows[0][8].value == 12  # the object id, a number
    assert username.value == "=cmd|' /C calc'!A0" and username.data_type == "s" and username.quotePrefix
    assert rows[0][9].data_type == "s" and rows[0][9].quotePrefix
    assert AuditEntry.objects.filter(action="export", object_type="audit", user=auditor).exists()


def test_the_integrity_page_shows_the_count_or_where_the_chain_breaks(client, auditor):
    client.force_login(auditor)
    record("export", object_type="test")
    page = client.get(reverse("audit:integrity")).content.decode()
    assert "审计日志完整" in page
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET detail = %s WHERE seq = 2", ['{"x": 1}'])  # noqa: S608
    page = client.get(reverse("audit:integrity")).content.decode()
    assert "第 2 条" in page and "被篡改" in page
    assert AuditEntry.objects.filter(action="audit_verify", result="失败").exists()
