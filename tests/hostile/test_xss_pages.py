"""XSS on the pages the first pass did not reach: what changed, dashboards, notifications, expert opinions,
the audit trail, accounts and organisations. Each payload enters the way a user would put it there (a
registration, an autosave, a score sheet, a failed sign-in) and must come back escaped, never as markup."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from applications import submission
from audit.models import AuditEntry
from notifications.models import Notification
from reviews import experts, initial_review
from reviews.models import ExpertReview
from tests import factories
from tests.hostile.support import post_autosave
from tests.hostile.test_xss import PAYLOADS, RAW, assert_escaped
from tests.pdf import pdf_text

SCRIPT = PAYLOADS[0]  # <script>alert(1)</script>
IMG = PAYLOADS[1]  # "><img src=x onerror=alert(1)>
ESCAPED_IMG = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def hostile_application(region_code="150200"):
    """Submitted by an organisation whose name is a payload, with a payload as its cluster name."""
    return factories.submitted_application(region_code, data={"cluster_name": SCRIPT + IMG}, name=SCRIPT + "促进会")


def test_the_changes_page_shows_changed_cells_escaped(client, db, media, call, bureau, department):
    app = factories.submitted_application()
    initial_review.return_for_revision(app, bureau, "请核实" + IMG)
    app.refresh_from_db()
    client.force_login(app.created_by)
    changes = {"cluster_name": SCRIPT, "industry_chain": IMG + PAYLOADS[4]}
    response = post_autosave(client, app, {"version": app.edit_version, "changes": changes})
    assert response.status_code == 200 and not response.json()["errors"], response.json()
    app.refresh_from_db()
    submission.submit(app, app.created_by, revision_note="已按退回意见修改。")
    for user in (bureau, department):
        html = get(client, user, reverse("reviews:changes", args=[app.pk]))
        assert_escaped(html)
        assert ESCAPED_IMG in html


def test_dashboards_show_organisation_and_cluster_names_escaped(client, db, media, call, bureau, department):
    hostile_application()
    for user in (department, bureau):
        html = get(client, user, reverse("dashboards:index"))
        for raw in RAW:
            assert raw not in html
        # Shown somewhere: escaped in the tables, or \u003C-escaped in a chart's json_script data.
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "\\u003Cscript\\u003E" in html


def test_notifications_name_the_application_and_organisation_escaped(client, db, media, call, bureau):
    # A registration with a hostile name notifies the 盟市; a return notifies the applicant.
    data = {
        "name": SCRIPT + "促进会",
        "credit_code": factories.credit_code("150200"),
        "legal_representative": "王",
        "address": "地址",
        "region": bureau.region.pk,
        "contact_name": "李",
        "contact_mobile": "13904720001",
        "email": "a@example.com",
        "password1": "Nmg#Cluster2024",
        "password2": "Nmg#Cluster2024",
    }
    assert client.post(reverse("accounts:register"), data).status_code == 302
    app = hostile_application()
    initial_review.return_for_revision(app, bureau, IMG)
    assert (
        Notification.objects.filter(body__contains="<").exists()
        or Notification.objects.filter(title__contains="<").exists()
    ), "no notification carries the payload, the test would prove nothing"
    for user in (bureau, app.created_by):
        html = get(client, user, reverse("notifications:list"))
        for raw in RAW:
            assert raw not in html
    assert "&lt;script&gt;" in get(client, bureau, reverse("notifications:list")) + get(
        client, app.created_by, reverse("notifications:list")
    )


@pytest.fixture
def hostile_scores(under_review, expert):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    experts.declare(review, expert, has_conflict=False)
    rubric = under_review.call.schema.rubric
    sheet = {f"score_{d.key}": str(d.weight - 2) for d in rubric}
    sheet.update({f"comment_{d.key}": SCRIPT for d in rubric})
    sheet["opinion"] = IMG + PAYLOADS[4]
    _, checked = experts.submit_sheet(review, expert, sheet)
    assert not checked.errors
    under_review.refresh_from_db()
    return under_review


def test_expert_comments_and_opinion_are_escaped_for_the_region(client, hostile_scores, department, expert):
    html = get(client, department, reverse("reviews:scores", args=[hostile_scores.pk]))
    assert_escaped(html)
    assert ESCAPED_IMG in html
    review = ExpertReview.objects.get(application=hostile_scores, expert=expert)
    assert_escaped(get(client, expert, reverse("reviews:expert_review", args=[review.pk])))


def test_the_scoresheet_pdf_prints_the_opinion_as_text_and_the_xlsx_keeps_it_a_string(
    client, hostile_scores, department
):
    client.force_login(department)
    pdf = client.get(reverse("reviews:scoresheet", args=[hostile_scores.pk, "pdf"]))
    assert pdf.status_code == 200
    text = pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    assert "<img src=x onerror=alert(1)>" in text.replace("\n", "")
    xlsx = client.get(reverse("reviews:scoresheet", args=[hostile_scores.pk, "xlsx"]))
    content = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    values = {c.value for ws in load_workbook(io.BytesIO(content)).worksheets for r in ws.iter_rows() for c in r}
    assert any(isinstance(v, str) and SCRIPT in v for v in values)


def test_a_failed_sign_in_with_a_script_as_username_is_escaped_in_the_audit_trail(client, db):
    client.post(reverse("accounts:login"), {"username": SCRIPT, "password": "wrong"})
    entry = (
        AuditEntry.objects.filter(username=SCRIPT).order_by("-seq").first()
        or AuditEntry.objects.filter(detail__icontains="script").order_by("-seq").first()
    )
    assert entry is not None, "the failed sign-in was not recorded with its username"
    auditor = factories.user(Role.AUDIT_ADMIN)
    for url in (reverse("audit:list"), reverse("audit:detail", args=[entry.seq])):
        html = get(client, auditor, url)
        for raw in RAW:
            assert raw not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    response = client.get(reverse("audit:export"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    assert "<script>" not in xml
    values = {c.value for ws in load_workbook(io.BytesIO(content)).worksheets for r in ws.iter_rows() for c in r}
    assert any(isinstance(v, str) and SCRIPT in v for v in values)


def test_account_list_and_detail_show_a_hostile_full_name_escaped(client, db):
    target = factories.user(Role.EXPERT, full_name=SCRIPT)
    admin = factories.user(Role.SYSTEM_ADMIN)
    for url in (reverse("accounts:account_list"), reverse("accounts:account_detail", args=[target.pk])):
        assert_escaped(get(client, admin, url))


def test_organisation_list_and_detail_show_a_hostile_name_escaped(client, db, bureau):
    org = factories.organisation("150200", name=SCRIPT, legal_representative=IMG, address=PAYLOADS[4], status="pending")
    for url in (reverse("accounts:organisation_list"), reverse("accounts:organisation_detail", args=[org.pk])):
        assert_escaped(get(client, bureau, url))
