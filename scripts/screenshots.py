"""Screenshot every page as each demo role sees it, at 1366×768 and on a phone, for a person to look at.

Run against a server started with `make run`:  .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR]
"""

import json
import sys
import time
from base64 import b32decode
from pathlib import Path

from django_otp.oath import TOTP
from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
PASSWORD = "Shenbao#2024"  # noqa: S105 -- the demo password printed by seed_demo
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

PUBLIC = {"landing": "/", "login": "/accounts/login/", "register": "/accounts/register/"}
PUBLIC |= {"guide": "/calls/cluster-2024/guide/", "session-expired": "/accounts/session-expired/"}
PUBLIC |= {"verify": "/verify/", "verify-wrong-code": "/verify/0000-0000-0000-0000/"}
# The demo's complete application is #1 and the half-filled draft #2 on a fresh `make run` database.
SECTIONS = ["eligibility", "cover", "commitment", "basic", "industry", "innovation", "digital", "green", "openness"]
SECTIONS += ["plan", "performance"]
ROLES = {
    "applicant": (
        "51150200MJ00000014",
        ["/", "/applications/1/", "/applications/1/check/", "/applications/1/attachments/"]
        + [f"/applications/1/section/{key}/" for key in SECTIONS]
        + ["/documents/applications/1/workbook/import/"],
    ),
    "applicant-draft": ("51150500MJ0000003R", ["/applications/2/check/", "/applications/2/section/industry/"]),
    "applicant-pending": ("52150200MJ00000024", ["/", "/accounts/registration/"]),
    "bureau": ("baotou", ["/", "/accounts/organisations/", "/documents/summary/", "/documents/recommendation-list/"]),
    "department": (
        "gxt",
        [
            "/",
            "/regions/",
            "/documents/summary/",
            "/calls/manage/",
            "/calls/manage/new/?from=1",
            "/calls/manage/cluster-2025/",
            "/calls/manage/cluster-2025/revisions/2/preview/",
            "/calls/manage/cluster-2025/revisions/compare/?from=1&to=2",
            "/calls/manage/cluster-2025/window/",
            "/calls/manage/tech-upgrade-example-2025/revisions/1/preview/?sample=1",
        ],
    ),
    "expert": ("expert01", ["/"]),
    "sysadmin": (
        "sysadmin",
        ["/", "/accounts/manage/", "/accounts/manage/new/", "/accounts/organisations/", "/regions/"],
    ),
    "secadmin": ("secadmin", ["/", "/security/", "/accounts/2fa/"]),
    "auditadmin": ("auditadmin", ["/", "/audit/", "/audit/integrity/"]),
}


# Demo staff bind an authenticator at their first sign-in (docs/two-factor.md); the keys this script
# bound are kept beside the screenshots so later runs can type codes too.
KEYS_FILE = OUT / "demo-otp-keys.json"


def second_factor(page, username, keys, last_step):
    """Pass the second-factor step as the person would: bind on first sign-in, else type the code."""
    if "/accounts/2fa/setup/" in page.url:
        keys[username] = page.locator("#otp-secret").inner_text().replace(" ", "")
        KEYS_FILE.write_text(json.dumps(keys))
        page.get_by_label("动态验证码").fill(code(keys[username], username, last_step))
        page.get_by_role("button", name="完成绑定").click()
        page.get_by_role("link", name="我已妥善保存，继续").click()
    elif "/accounts/2fa/verify/" in page.url:
        if username not in keys:
            raise SystemExit(f"{username} 已在此前绑定动态口令：请由系统管理员重置其动态口令后再运行。")
        page.get_by_label("动态验证码").fill(code(keys[username], username, last_step))
        page.get_by_role("button", name="验证").click()


def code(key, username, last_step):
    totp = TOTP(b32decode(key))
    while totp.t() <= last_step.get(username, -1):  # a code is accepted once: wait for the next one
        time.sleep(1)
    last_step[username] = totp.t()
    return f"{totp.token():06d}"


def shoot(page, name):
    path = OUT / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    print(path)


def main():
    OUT.mkdir(exist_ok=True)
    keys = json.loads(KEYS_FILE.read_text()) if KEYS_FILE.exists() else {}
    last_step = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size, viewport in {"desktop": (1366, 768), "phone": (390, 844)}.items():
            context = browser.new_context(viewport=dict(zip(("width", "height"), viewport, strict=True)))
            page = context.new_page()
            for name, url in PUBLIC.items():
                page.goto(BASE + url)
                shoot(page, f"{size}-{name}")
            page.goto(BASE + "/accounts/register/")
            page.get_by_role("button", name="提交注册").click()
            shoot(page, f"{size}-register-errors")
            context.close()
            for role, (username, urls) in ROLES.items():
                context = browser.new_context(viewport=dict(zip(("width", "height"), viewport, strict=True)))
                page = context.new_page()
                page.goto(BASE + "/accounts/login/")
                page.get_by_label("账号").fill(username)
                page.get_by_label("密码").fill(PASSWORD)
                page.get_by_role("button", name="登录").click()
                page.wait_for_load_state()
                second_factor(page, username, keys, last_step)
                for index, url in enumerate(urls):
                    page.goto(BASE + url)
                    shoot(page, f"{size}-{role}-{index}")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
