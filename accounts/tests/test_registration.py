import pytest
from django.urls import reverse

from accounts.models import Organisation, Role, User
from accounts.registration import review_registration
from regions.models import Region
from tests import factories

REGISTER = reverse("accounts:register")


def form_data(**overrides):
    data = {
        "name": "通辽铝基新材料产业集群促进会",
        "credit_code": factories.credit_code("150500"),
        "legal_representative": "包玉梅",
        "address": "内蒙古自治区通辽市科尔沁区建国路 1 号",
        "region": Region.objects.get(code="150500").pk,
        "contact_name": "乌力吉",
        "contact_mobile": "13947500001",
        "email": "tl@example.com",
        "password1": "Nmg#Cluster2024",
        "password2": "Nmg#Cluster2024",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_registration_creates_a_pending_organisation_and_signs_its_account_in(client):
    data = form_data()
    response = client.post(REGISTER, data, follow=True)
    organisation = Organisation.objects.get(credit_code=data["credit_code"])
    assert organisation.status == Organisation.Status.PENDING
    account = User.objects.get(username=data["credit_code"])
    assert account.role == Role.APPLICANT and account.organisation == organisation
    assert account.check_password("Nmg#Cluster2024")
    page = response.content.decode()
    assert "正在等待" in page and "通辽市工业和信息化局" in page


@pytest.mark.django_db
def test_credit_code_typed_in_full_width_lower_case_is_stored_normalised(client):
    code = factories.credit_code("150500")
    typed = code.translate(str.maketrans("0123456789", "０１２３４５６７８９")).lower()
    client.post(REGISTER, form_data(credit_code=typed))
    assert Organisation.objects.filter(credit_code=code).exists()


@pytest.mark.django_db
def test_wrong_check_digit_is_shown_next_to_the_field_and_nothing_typed_is_lost(client):
    bad = "91350100M000100Y44"
    response = client.post(REGISTER, form_data(credit_code=bad))
    assert response.status_code == 200
    form = response.context["form"]
    assert "校验码" in form.errors["credit_code"][0]
    page = response.content.decode()
    assert 'value="通辽铝基新材料产业集群促进会"' in page
    assert f'value="{bad}"' in page
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_duplicate_credit_code_is_refused_with_a_clear_message(client, make_organisation):
    existing = make_organisation("150500")
    response = client.post(REGISTER, form_data(credit_code=existing.credit_code))
    # The same neutral sentence whatever state the registration is in (tests/hostile/test_registration_throttle.py).
    assert "该统一社会信用代码不能用于新注册" in response.context["form"].errors["credit_code"][0]
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_mismatched_or_weak_passwords_are_refused(client):
    response = client.post(REGISTER, form_data(password2="Other#Pass2024"))
    assert response.context["form"].errors["password2"] == ["两次输入的密码不一致。"]
    response = client.post(REGISTER, form_data(password1="abcdefgh", password2="abcdefgh"))
    assert any("至少3类" in e for e in response.context["form"].errors["password1"])
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_bad_mobile_and_email_get_chinese_messages(client):
    response = client.post(REGISTER, form_data(contact_mobile="0471123", email="not-an-email"))
    errors = response.context["form"].errors
    assert "11位手机号码" in errors["contact_mobile"][0]
    assert "电子邮箱格式不正确" in errors["email"][0]


@pytest.mark.django_db
def test_pending_applicant_may_not_apply_until_approved(applicant, make_user):
    from accounts import scoping

    pending = make_user(Role.APPLICANT, organisation_obj=factories.organisation(status=Organisation.Status.PENDING))
    assert not scoping.may_apply(pending)
    assert scoping.may_apply(applicant)


@pytest.mark.django_db
def test_bureau_approves_a_pending_registration_of_its_own_region(client, bureau):
    organisation = factories.organisation("150200", status=Organisation.Status.PENDING)
    client.force_login(bureau)
    response = client.post(
        reverse("accounts:organisation_detail", args=[organisation.pk]), {"decision": "approve", "reason": ""}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.APPROVED
    assert organisation.reviewed_by == bureau and organisation.reviewed_at


@pytest.mark.django_db
def test_rejection_needs_a_reason(client, bureau):
    organisation = factories.organisation("150200", status=Organisation.Status.PENDING)
    client.force_login(bureau)
    response = client.post(
        reverse("accounts:organisation_detail", args=[organisation.pk]), {"decision": "reject", "reason": "  "}
    )
    assert response.context["form"].errors["reason"] == ["请填写不通过的原因。"]
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING


@pytest.mark.django_db
def test_another_regions_bureau_cannot_see_or_review_the_registration(client, make_user):
    organisation = factories.organisation("150200", status=Organisation.Status.PENDING)
    client.force_login(make_user(Role.BUREAU, region_code="150500"))
    url = reverse("accounts:organisation_detail", args=[organisation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING


@pytest.mark.django_db
def test_department_can_read_but_not_review_a_registration(client, make_user):
    organisation = factories.organisation("150200", status=Organisation.Status.PENDING)
    client.force_login(make_user(Role.DEPARTMENT))
    url = reverse("accounts:organisation_detail", args=[organisation.pk])
    response = client.get(url)
    assert response.status_code == 200 and organisation.credit_code in response.content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 403
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING


@pytest.mark.django_db
def test_a_registration_is_reviewed_only_once(bureau):
    organisation = factories.organisation("150200", status=Organisation.Status.PENDING)
    review_registration(organisation, bureau, approve=True)
    with pytest.raises(ValueError, match="不能重复审核"):
        review_registration(organisation, bureau, approve=False, reason="重复")


@pytest.mark.django_db
def test_rejected_applicant_corrects_and_resubmits(client, bureau, make_user):
    organisation = factories.organisation("150200", status=Organisation.Status.PENDING)
    account = make_user(Role.APPLICANT, organisation_obj=organisation)
    review_registration(organisation, bureau, approve=False, reason="单位名称与营业执照不一致")
    client.force_login(account)
    home = client.get(reverse("portal:home")).content.decode()
    assert "单位名称与营业执照不一致" in home

    data = {
        "name": "包头稀土新材料产业集群促进会",
        "credit_code": "ignored-because-disabled",
        "legal_representative": organisation.legal_representative,
        "address": organisation.address,
        "region": organisation.region_id,
        "contact_name": "新联系人",
        "contact_mobile": "13800000000",
        "email": "new@example.com",
    }
    response = client.post(reverse("accounts:edit_registration"), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    account.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.name == "包头稀土新材料产业集群促进会"
    assert organisation.credit_code == account.username
    assert account.full_name == "新联系人" and account.mobile == "13800000000"


@pytest.mark.django_db
def test_approved_registration_can_no_longer_be_edited_by_the_applicant(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("accounts:edit_registration")).status_code == 403


@pytest.mark.django_db
def test_empty_required_fields_say_what_to_fill_in(client):
    response = client.post(REGISTER, {})
    errors = response.context["form"].errors
    assert errors["name"] == ["请填写单位名称（集群促进组织）。"]
    assert errors["region"] == ["请选择所属盟市（推荐单位）。"]
    assert errors["credit_code"] == ["请填写统一社会信用代码。"]


@pytest.mark.django_db
def test_reviews_and_corrections_of_a_registration_are_audited(client, bureau, make_user):
    from audit.log import ACTION_LABELS
    from audit.models import AuditEntry

    organisation = factories.organisation("150200", status=Organisation.Status.PENDING)
    account = make_user(Role.APPLICANT, organisation_obj=organisation)
    client.force_login(bureau)
    url = reverse("accounts:organisation_detail", args=[organisation.pk])
    client.post(url, {"decision": "reject", "reason": "名称不符"})
    review = AuditEntry.objects.get(action="registration_review")
    assert (review.user, review.object_type, review.object_id) == (bureau, "organisation", str(organisation.pk))
    assert review.detail == {"approved": False, "status": "rejected", "reason_chars": 4}

    client.force_login(account)
    data = {
        "name": "包头稀土新材料产业集群促进会",
        "legal_representative": organisation.legal_representative,
        "address": organisation.address,
        "region": organisation.region_id,
        "contact_name": organisation.contact_name,
        "contact_mobile": organisation.contact_mobile,
        "email": organisation.email,
    }
    assert client.post(reverse("accounts:edit_registration"), data).status_code == 302
    update = AuditEntry.objects.get(action="registration_update")
    assert update.user == account
    assert update.detail["changed_fields"] == ["name"]  # which field, not the applicant's old or new text
    assert (update.detail["old_status"], update.detail["status"]) == ("rejected", "pending")

    client.force_login(bureau)
    client.post(url, {"decision": "approve", "reason": ""})
    assert AuditEntry.objects.filter(action="registration_review").latest("seq").detail["approved"] is True
    assert ACTION_LABELS["registration_review"] == "审核单位注册"
    assert ACTION_LABELS["registration_update"] == "修改单位注册信息"
