"""Long work gives feedback: an upload shows its progress with its button disabled, 暂存 saves at once, a
document link says 正在生成… until the file arrives, and the pre-submit check of a complete application
offers 确认提交 on the first screen."""

import io
import os
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from accounts.models import Role
from tests import factories
from tests.application_data import complete_data
from tests.browser.conftest import SHOTS, as_user, look_at_both_widths


@pytest.fixture
def applicant_user(page):
    # Depends on `page` so the reference rows are back and the database is the live server's.
    factories.open_call()
    return factories.user(Role.APPLICANT)


@pytest.fixture
def complete(applicant_user):
    app = factories.application(applicant_user, data=complete_data(factories.open_call().schema))
    factories.attach_required(app, applicant_user)
    return app


def noisy_png(side=1400):
    """A real picture of some 6 MB (noise does not compress): big enough to watch it go up."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=0)
    return out.getvalue()


def throttle_uploads(page, bytes_per_second):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": bytes_per_second},
    )


def test_an_upload_shows_its_progress_and_disables_its_button_until_the_file_is_listed(page, complete, applicant_user):
    as_user(page, applicant_user)
    page.goto(f"{page.base_url}/applications/{complete.pk}/attachments/")
    slot = page.locator("#slot-other_evidence")
    expect(slot.locator('input[type="file"]')).to_have_count(1)
    picture = noisy_png()
    assert len(picture) > 5 * 1024 * 1024
    throttle_uploads(page, 1024 * 1024)  # about six seconds on the wire
    photo = {"name": "现场照片.png", "mimeType": "image/png", "buffer": picture}
    slot.locator('input[type="file"]').set_input_files(photo)
    button = slot.get_by_role("button", name="上传")
    button.click()
    expect(slot.locator(".upload-progress")).to_be_visible()
    expect(button).to_be_disabled()
    expect(slot.locator(".upload-percent")).to_have_text(re.compile(r"^正在上传 ([1-9]\d?)%$"), timeout=10_000)
    assert 0 < slot.locator("progress").evaluate("p => p.value") < 100
    SHOTS.mkdir(parents=True, exist_ok=True)
    slot.screenshot(path=SHOTS / "long-work-uploading.png")  # the slot mid-upload, for a person to look at
    expect(page.locator("#slot-other_evidence .attachment-files")).to_contain_text("现场照片.png", timeout=60_000)
    expect(page.locator("#slot-other_evidence")).to_contain_text("已上传“现场照片.png”。")
    expect(page.locator("#slot-other_evidence .upload-progress")).to_be_hidden()
    expect(page.locator("#slot-other_evidence").get_by_role("button", name="上传")).to_be_enabled()


def test_a_refused_upload_says_why_beside_its_slot(page, complete, applicant_user):
    as_user(page, applicant_user)
    page.goto(f"{page.base_url}/applications/{complete.pk}/attachments/")
    slot = page.locator("#slot-other_evidence")
    slot.locator('input[type="file"]').set_input_files(
        {"name": "说明.pdf", "mimeType": "application/pdf", "buffer": "这不是PDF文件".encode() * 10}
    )
    slot.get_by_role("button", name="上传").click()
    expect(page.locator("#slot-other_evidence .alert-error")).to_contain_text("的内容实际是纯文本文件")
    look_at_both_widths(page, "long-work-attachments")


def test_save_now_saves_and_a_reload_shows_the_value(page, complete, applicant_user):
    as_user(page, applicant_user)
    url = f"{page.base_url}/applications/{complete.pk}/section/basic/"
    page.goto(url)
    page.locator('[name="area"]').fill("23.45")
    page.get_by_role("button", name="暂存").click()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^已保存 \d\d:\d\d:\d\d$"), timeout=10_000)
    page.goto(url)
    expect(page.locator('[name="area"]')).to_have_value("23.45")
    look_at_both_widths(page, "long-work-save-bar")


def test_a_document_link_says_generating_until_the_file_arrives(page, complete, applicant_user):
    as_user(page, applicant_user)
    page.goto(f"{page.base_url}/applications/{complete.pk}/")
    link = page.locator("#documents a[data-download]").first
    label = link.inner_text()
    with page.expect_download() as info:
        link.click()
        expect(link).to_have_text("正在生成…")
        expect(link).to_have_attribute("aria-disabled", "true")
    assert info.value.suggested_filename.endswith(".pdf")
    expect(link).to_have_text(label)


def test_the_check_of_a_complete_application_offers_confirm_submit_on_the_first_screen(page, complete, applicant_user):
    as_user(page, applicant_user)
    page.goto(f"{page.base_url}/applications/{complete.pk}/check/")
    submit = page.get_by_role("button", name="确认提交")
    expect(submit).to_be_enabled()
    box = submit.bounding_box()
    assert box["y"] + box["height"] <= 768
    expect(page.locator("#answers h3").first).to_be_visible()
    look_at_both_widths(page, "long-work-check-complete")


def test_the_check_of_an_unfinished_application_groups_its_problems(page, applicant_user):
    app = factories.application(applicant_user)
    as_user(page, applicant_user)
    page.goto(f"{page.base_url}/applications/{app.pk}/check/")
    groups = page.locator("#problems details.check-group")
    expect(groups.first).to_have_attribute("open", "")
    expect(groups.nth(1)).not_to_have_attribute("open", "")
    expect(groups.first.locator(".check-count")).to_have_text(re.compile(r"^\d+ 处待完善$"))
    look_at_both_widths(page, "long-work-check-problems")
