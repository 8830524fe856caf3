"""A new 盟市 account binds an authenticator at its first sign-in, keeps its recovery codes, and from then
on types a 动态验证码 after its password."""

import re

from playwright.sync_api import expect

from accounts.models import Role
from tests import factories, otp
from tests.browser.conftest import SHOTS, bind_authenticator, enter_code


def test_new_bureau_account_binds_an_authenticator_then_signs_in_with_a_code(page):
    # A fixed account name: a generated one (bureau4220) can be too like the new password for Django's
    # UserAttributeSimilarityValidator, and then the password change is refused.
    user = factories.user(Role.BUREAU, must_change_password=True, full_name="乌兰", username="btgxj01")
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("账号").fill(user.username)
    page.get_by_label("密码").fill(factories.PASSWORD)
    page.get_by_role("button", name="登录").click()

    # First sign-in: the enrolment page, with a QR code and the key for typing by hand.
    expect(page.get_by_role("heading", name="绑定动态口令")).to_be_visible()
    qr = page.get_by_role("img", name="动态口令二维码：请用手机验证器扫描")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.bounding_box()["width"] >= 200
    expect(page.locator("#otp-secret")).to_have_text(re.compile(r"^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "2fa-setup.png", full_page=True)

    # A wrong code is refused next to the field; nothing is bound yet.
    page.get_by_label("动态验证码").fill("000000" if otp.code_for(user, confirmed=False) != "000000" else "111111")
    page.get_by_role("button", name="完成绑定").click()
    expect(page.locator("#id_code_error")).to_contain_text("验证码不正确")
    expect(page.locator(".error-summary a[href='#id_code']")).to_contain_text("验证码不正确")
    page.wait_for_timeout(1100)  # django-otp asks for a second's pause after a wrong code

    bind_authenticator(page)
    expect(page.get_by_role("heading", name="您的恢复码")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.screenshot(path=SHOTS / "2fa-recovery-codes.png", full_page=True)
    page.get_by_role("link", name="我已妥善保存，继续").click()

    # Then the initial password is replaced.
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    page.get_by_label("旧密码").fill(factories.PASSWORD)
    page.get_by_label("新密码", exact=True).fill("Wulan#Bureau2024")
    page.get_by_label("新密码确认").fill("Wulan#Bureau2024")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("heading", name="修改密码")).not_to_be_visible()  # accepted, not shown again with an error
    expect(page.get_by_role("link", name="账号安全")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    # Next sign-in: the password, then the code from the authenticator.
    page.get_by_label("账号").fill(user.username)
    page.get_by_label("密码").fill("Wulan#Bureau2024")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="动态口令验证")).to_be_visible()
    page.screenshot(path=SHOTS / "2fa-verify.png", full_page=True)
    enter_code(page, otp.code_for(user))
    expect(page.get_by_role("heading", name="动态口令验证")).not_to_be_visible()
    page.get_by_role("link", name="账号安全").click()
    expect(page.get_by_text("剩余 10 个（共 10 个）")).to_be_visible()
    page.screenshot(path=SHOTS / "2fa-security.png", full_page=True)
