"""Five wrong passwords lock an account; the person sees why and until when."""

from playwright.sync_api import expect

from accounts.models import Role
from tests import factories
from tests.browser.conftest import sign_in


def test_five_wrong_passwords_lock_the_account(page):
    user = factories.user(Role.APPLICANT)
    for attempt in range(1, 5):
        sign_in(page, user.username, f"Wrong#{attempt}pass")
        expect(page.get_by_text("账号或密码错误")).to_be_visible()
    sign_in(page, user.username, "Wrong#5pass")
    expect(page.get_by_role("heading", name="账号已锁定")).to_be_visible()
    expect(page.get_by_text("已被锁定 30 分钟")).to_be_visible()

    # The right password no longer opens it.
    sign_in(page, user.username, factories.PASSWORD)
    expect(page.get_by_role("heading", name="账号已锁定")).to_be_visible()


def test_staff_created_by_the_admin_sets_a_new_password_at_first_sign_in(page):
    # A fixed account name: a generated one (expert4220) can be too like the new password for Django's
    # UserAttributeSimilarityValidator, and then the password change is refused.
    user = factories.user(Role.EXPERT, must_change_password=True, full_name="周明远", username="zmy01")
    sign_in(page, user.username, factories.PASSWORD)
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_text("请先修改管理员设置的初始密码")).to_be_visible()
    page.get_by_label("旧密码").fill(factories.PASSWORD)
    page.get_by_label("新密码", exact=True).fill("Expert#Review2024")
    page.get_by_label("新密码确认").fill("Expert#Review2024")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("heading", name="评审任务")).to_be_visible()
