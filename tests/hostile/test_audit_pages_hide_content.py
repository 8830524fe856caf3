"""The 审计管理员 reads no application content (PRODUCT.md, 三员分立): after a realistic history full of
distinctive applicant text, file names, reasons and opinions, neither the audit list (every page), nor any
entry's page, nor the Excel export, nor any stored entry holds one of them — while the 申报编号 identifies
the application throughout (docs/audit.md, issue 19)."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Organisation, Role, User
from applications import demo, submission
from applications.attachments import add_attachment
from applications.demo import demo_pdf
from applications.models import Attachment
from audit.models import AuditEntry
from calls.models import Call
from regions.models import Region
from reviews import decisions, experts, initial_review
from reviews.models import ExpertReview, Recommendation, SiteVisitPhoto
from tests import factories

pytestmark = pytest.mark.django_db

CLUSTER = "绝密稀土新材料集群"
ORGANISATION = "绝密稀土促进会甲"
RENAMED = "绝密稀土促进会乙"
ATTACHMENT = "内部资料-合同.pdf"
RETURN_REASON = "退回理由甲乙丙"
OPINION = "推荐意见丁戊己"
SEALED = "推荐文件-机密.pdf"
PHOTO = "现场照片-保密.png"
PEOPLE = "核实人员子丑"
FINDINGS = "核实情况寅卯辰"
COMMENT = "评语酉戌亥"
EXPERT_OPINION = "专家意见天地玄"
CONFLICT = "冲突说明午未申"
DECISION = "不予支持理由洪荒"
REGISTRATION_REASON = "注册退回理由庚辛壬"
NAME_SEARCH = "绝密稀土"
SECRETS = [
    CLUSTER,
    ORGANISATION,
    RENAMED,
    ATTACHMENT,
    "内部资料",
    RETURN_REASON,
    OPINION,
    SEALED,
    PHOTO,
    PEOPLE,
    FINDINGS,
    COMMENT,
    EXPERT_OPINION,
    CONFLICT,
    DECISION,
    REGISTRATION_REASON,
    NAME_SEARCH,
]


def _register(client, bureau):
    """Registered on the page, rejected with a reason, renamed by its applicant, then approved."""
    region = Region.objects.get(code="150200")
    code = factories.credit_code("150200")
    data = {
        "name": ORGANISATION,
        "credit_code": code,
        "legal_representative": "王建国",
        "address": "内蒙古自治区包头市稀土高新区 1 号",
        "region": region.pk,
        "contact_name": "李晓燕",
        "contact_mobile": "13904720001",
        "email": "secret@example.com",
        "password1": "Nmg#Cluster2024",
        "password2": "Nmg#Cluster2024",
    }
    assert client.post(reverse("accounts:register"), data).status_code == 302
    organisation = Organisation.objects.get(credit_code=code)
    detail = reverse("accounts:organisation_detail", args=[organisation.pk])
    client.force_login(bureau)
    client.post(detail, {"decision": "reject", "reason": REGISTRATION_REASON})
    applicant = User.objects.get(username=code)
    client.force_login(applicant)
    edited = {k: v for k, v in data.items() if not k.startswith("password") and k != "credit_code"}
    assert client.post(reverse("accounts:edit_registration"), {**edited, "name": RENAMED}).status_code == 302
    client.force_login(bureau)
    client.post(detail, {"decision": "approve", "reason": ""})
    organisation.refresh_from_db()
    assert (organisation.name, organisation.status) == (RENAMED, Organisation.Status.APPROVED)
    return applicant


def _history(client, bureau, department):
    """Everything the platform audits about one application whose every text is a secret."""
    applicant = _register(client, bureau)
    call = factories.open_call()
    schema = Call.objects.get(code="cluster-2024").schema
    data = {**factories.application_defaults(), **demo.COMPLETE, schema.role("title").key: CLUSTER}
    app = factories.application(applicant, call, data=data)
    factories.attach_required(app, applicant)
    add_attachment(app, "other_evidence", SimpleUploadedFile(ATTACHMENT, demo_pdf("contract")), applicant)
    submission.submit(app, applicant)
    app.refresh_from_db()

    client.force_login(bureau)
    secret_file = Attachment.objects.get(application=app, original_name=ATTACHMENT)
    assert client.get(reverse("applications:download", args=[secret_file.pk])).status_code == 200
    assert client.get(reverse("reviews:detail", args=[app.pk])).status_code == 200
    initial_review.return_for_revision(app, bureau, RETURN_REASON)
    app.refresh_from_db()
    submission.submit(app, applicant, revision_note="已按退回意见修改。")
    app.refresh_from_db()
    photo = factories.upload(PHOTO)
    initial_review.record_site_visit(app, bureau, timezone.localdate(), PEOPLE, FINDINGS, [photo])
    initial_review.recommend(app, bureau, OPINION, factories.upload(SEALED))

    client.force_login(department)
    for kind, model in (("photo", SiteVisitPhoto), ("recommendation", Recommendation)):
        row = model.objects.get(application=app)
        assert client.get(reverse("reviews:file", args=[kind, row.pk])).status_code == 200
    scorer = factories.user(Role.EXPERT, region_code="150100", affiliation="内蒙古工业大学")
    recused = factories.user(Role.EXPERT, region_code="150500", affiliation="内蒙古大学")
    experts.assign(app, department, [scorer, recused])
    recusal = ExpertReview.objects.get(application=app, expert=recused)
    experts.declare(recusal, recused, True, CONFLICT)
    review = ExpertReview.objects.get(application=app, expert=scorer)
    experts.declare(review, scorer, False)
    sheet = {f"score_{d.key}": str(d.weight - 2) for d in schema.rubric}
    sheet |= {f"comment_{d.key}": COMMENT for d in schema.rubric} | {"opinion": EXPERT_OPINION}
    experts.save_sheet(review, scorer, sheet)
    experts.submit_sheet(review, scorer, sheet)
    app.refresh_from_db()
    decisions.reject(app, department, DECISION)
    summary = client.get(reverse("documents:summary_xlsx"), {"call": call.pk, "name": NAME_SEARCH})
    assert summary.status_code == 200
    app.refresh_from_db()
    return app


def _audit_pages(client):
    """Every page of the list, then every entry's page: the text the 审计管理员 can read on screen."""
    pages, number = [], 1
    while True:
        response = client.get(reverse("audit:list"), {"page": number})
        assert response.status_code == 200
        pages.append(response.content.decode())
        if not response.context["page"].has_next():
            break
        number += 1
    for seq in AuditEntry.objects.values_list("seq", flat=True):
        response = client.get(reverse("audit:detail", args=[seq]))
        assert response.status_code == 200
        pages.append(response.content.decode())
    return pages


def _export_text(client):
    response = client.get(reverse("audit:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


def _stored(entry):
    fields = (entry.username, entry.user_agent, entry.object_type, entry.object_repr, entry.object_id)
    return "\n".join([*fields, json.dumps(entry.detail, ensure_ascii=False)])


def test_the_audit_pages_export_and_entries_name_the_application_by_its_number_only(client, media, bureau, department):
    app = _history(client, bureau, department)
    auditor = factories.user(Role.AUDIT_ADMIN)
    client.force_login(auditor)
    pages = _audit_pages(client)
    exported = _export_text(client)
    stored = [_stored(entry) for entry in AuditEntry.objects.order_by("seq")]

    for secret in SECRETS:
        assert not [p for p in pages if secret in p], f"{secret} shown on an audit page"
        assert secret not in exported, f"{secret} in the audit export"
        assert not [s for s in stored if secret in s], f"{secret} stored in an audit entry"
    label = f"申报书 {app.number}"
    assert label in pages[0] and label in exported  # the list's first page: the latest entries
    assert any(label in page for page in pages[1:])  # and the entries' own pages
    # The events of the story are all there, each naming the application by its number.
    for action in ("transition", "download", "view", "site_visit", "conflict_declare", "score_save", "score_submit"):
        assert AuditEntry.objects.filter(action=action, object_repr__contains=label).exists(), action
    for action in ("registration", "registration_review", "registration_update"):
        assert AuditEntry.objects.filter(action=action, object_repr=app.organisation.credit_code).exists(), action
    assert "专家评审" in exported and "附件" in exported  # the object types, in Chinese


def test_an_entry_written_before_the_labels_is_shown_as_stored(client):
    """The chain forbids rewriting: an old entry keeps the text it was written with (docs/audit.md)."""
    from audit.log import record

    old = record("transition", object_type="application", object_id="7", object_repr="NMG-2024-007 旧集群名称")
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    assert "NMG-2024-007 旧集群名称" in client.get(reverse("audit:detail", args=[old.seq])).content.decode()
