"""Registration is audited at each step (accounts/registration.py): the organisation is named by its 统一社会信用代码,
and nothing it typed, nor the reason its 盟市 wrote, is kept in the log the 审计管理员 reads (docs/audit.md)."""

import pytest
from django.urls import reverse

from accounts import registration
from accounts.models import Organisation, User
from accounts.tests.test_registration import form_data
from audit.models import AuditEntry

REGISTER = reverse("accounts:register")


@pytest.mark.django_db
def test_registering_writes_one_entry_by_the_new_account_naming_the_credit_code(client):
    data = form_data(name="保密名称促进会", address="保密地址 1 号")
    assert client.post(REGISTER, data, HTTP_USER_AGENT="Mozilla/5.0 注册").status_code == 302
    account = User.objects.get(username=data["credit_code"])
    [entry] = AuditEntry.objects.filter(action="registration")
    assert (entry.user, entry.username, entry.role, entry.result) == (account, data["credit_code"], "applicant", "成功")
    assert (entry.object_type, entry.object_id) == ("organisation", str(account.organisation_id))
    assert entry.object_repr == data["credit_code"]
    assert entry.detail == {"region": "150500", "status": "pending"}
    assert (entry.ip, entry.user_agent) == ("127.0.0.1", "Mozilla/5.0 注册")


@pytest.mark.django_db
def test_a_registration_that_cannot_be_audited_is_not_made(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("审计日志不可写")

    monkeypatch.setattr(registration, "record", refuse)
    data = form_data()
    with pytest.raises(RuntimeError):
        client.post(REGISTER, data)
    assert not Organisation.objects.filter(credit_code=data["credit_code"]).exists()
    assert not User.objects.filter(username=data["credit_code"]).exists()


@pytest.mark.django_db
def test_a_rejection_keeps_the_reasons_length_not_its_words(bureau, make_organisation):
    organisation = make_organisation("150200", status=Organisation.Status.PENDING)
    registration.review_registration(organisation, bureau, approve=False, reason="法定代表人与营业执照不符")
    review = AuditEntry.objects.get(action="registration_review")
    assert (review.user, review.object_repr) == (bureau, organisation.credit_code)
    assert review.detail == {"approved": False, "status": "rejected", "reason_chars": 12}
    assert "营业执照" not in str(review.detail)
