"""A 申报单位 registers, its 盟市 approves it, and it signs in to its home page — through real pages."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organisation, Role
from calls.models import Call
from tests import factories
from tests.browser.conftest import sign_in, sign_out

PASSWORD = "Nmg#Cluster2024"


def open_the_2024_call():
    Call.objects.filter(code="cluster-2024").update(
        is_published=True,
        applicant_opens_at=timezone.now() - timedelta(days=1),
        applicant_closes_at=timezone.now() + timedelta(days=20),
    )


def fill_registration(page, credit_code):
    page.get_by_label("单位名称（集群促进组织）").fill("包头稀土新材料产业集群促进会")
    page.get_by_label("统一社会信用代码").fill(credit_code)
    page.get_by_label("法定代表人").fill("王建国")
    page.get_by_label("单位地址").fill("内蒙古自治区包头市稀土高新区黄河大街 8 号")
    page.get_by_label("所属盟市（推荐单位）").select_option(label="包头市")
    page.get_by_label("联系人", exact=True).fill("李晓燕")
    page.get_by_label("联系人手机号码").fill("13904720001")
    page.get_by_label("电子邮箱").fill("cluster@example.com")
    page.get_by_label("登录密码").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)


def test_applicant_registers_bureau_approves_and_applicant_sees_its_home(page):
    open_the_2024_call()
    factories.user(Role.BUREAU, region_code="150200", username="baotou", full_name="刘海涛")
    credit_code = factories.credit_code("150200")

    page.goto(f"{page.base_url}/")
    page.get_by_role("link", name="申报单位注册").first.click()
    expect(page.get_by_role("heading", name="申报单位注册")).to_be_visible()

    # A mistyped check digit is named next to the field, and nothing typed is lost.
    wrong = credit_code[:17] + ("0" if credit_code[17] != "0" else "1")
    fill_registration(page, wrong)
    page.get_by_role("button", name="提交注册").click()
    expect(page.locator("#id_credit_code_error")).to_contain_text("校验码不符")
    expect(page.get_by_label("单位名称（集群促进组织）")).to_have_value("包头稀土新材料产业集群促进会")
    expect(page.get_by_label("联系人手机号码")).to_have_value("13904720001")

    page.get_by_label("统一社会信用代码").fill(credit_code)
    page.get_by_label("登录密码").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_role("button", name="提交注册").click()
    expect(page.get_by_text("正在等待包头市工业和信息化局审核")).to_be_visible()
    expect(page.locator(".registration-state .status")).to_have_text("待审核")
    sign_out(page)

    sign_in(page, "baotou", factories.PASSWORD)
    expect(page.get_by_role("heading", name="包头市工业和信息化局")).to_be_visible()
    page.get_by_role("row", name="包头稀土新材料产业集群促进会").get_by_role("link", name="审核").click()
    expect(page.get_by_text(credit_code)).to_be_visible()
    page.get_by_label("通过", exact=True).check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_text("“包头稀土新材料产业集群促进会”的注册审核已通过。")).to_be_visible()
    sign_out(page)

    sign_in(page, credit_code, PASSWORD)
    expect(page.get_by_role("heading", name="包头稀土新材料产业集群促进会")).to_be_visible()
    expect(page.locator(".registration-state .status")).to_have_text("已通过")
    expect(page.get_by_text("2024年内蒙古自治区先进制造业集群申报", exact=True)).to_be_visible()
    expect(page.get_by_text("本单位申报状态")).to_be_visible()
    assert Organisation.objects.get(credit_code=credit_code).status == Organisation.Status.APPROVED


def test_rejected_applicant_reads_the_reason_and_resubmits(page):
    organisation = factories.organisation("150200", status=Organisation.Status.REJECTED)
    organisation.review_reason = "法定代表人与登记证书不一致"
    organisation.save()
    applicant = factories.user(Role.APPLICANT, organisation_obj=organisation)

    sign_in(page, applicant.username, factories.PASSWORD)
    expect(page.get_by_text("法定代表人与登记证书不一致")).to_be_visible()
    page.get_by_role("link", name="修改注册信息并重新提交").click()
    page.get_by_label("法定代表人").fill("张三")
    page.get_by_role("button", name="保存并重新提交审核").click()
    expect(page.get_by_text("已保存并重新提交包头市工业和信息化局审核")).to_be_visible()
    expect(page.locator(".registration-state .status")).to_have_text("待审核")
