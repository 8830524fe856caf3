"""Hostile uploads with active content: refused through the real pages, with the Chinese message, nothing stored.

Controls (issue 19): applications/active_content (pdf.py: scripts, launch and submit actions, embedded files,
non-PDF content after the header, parse bombs; office.py: macros, ActiveX, OLE objects, remote links), called
by applications/attachments.py `check_file` for every stored upload: the applicant's evidence files (upload
and replace) and the 盟市's sealed 推荐文件 (reviews/files.py). What is refused is never written, so no reviewer
can download it: each refusal below leaves no row and no file. Files are built by WeasyPrint, pyHanko,
python-docx and openpyxl (applications/tests/active_content_files.py).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Attachment, Status
from applications.tests import active_content_files as files
from reviews.models import Recommendation
from tests import factories

SLOT = "other_evidence"  # PDF, JPG, PNG, DOCX and XLSX
SCRIPT = "含有 JavaScript 脚本"
NOT_PDF = "无法作为 PDF 文件读取"


def _hex_escaped_script():
    number = files.next_object_number()
    action = b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"
    return files.raw_update(files.clean_pdf(), [action], catalog_entries=b"/OpenAction %d 0 R" % number)


HOSTILE = [
    ("脚本.pdf", lambda: files.with_open_action(files.javascript), SCRIPT),
    ("转义.pdf", _hex_escaped_script, SCRIPT),
    ("压缩.pdf", lambda: files.with_open_action(files.javascript, compressed=True), SCRIPT),
    ("启动.pdf", lambda: files.with_open_action(files.launch), "含有启动程序或打开其他文件的操作"),
    ("页面.pdf", lambda: files.with_page_action(files.javascript), SCRIPT),
    ("附件.pdf", files.with_embedded_file, "内嵌了其他文件"),
    ("网页.pdf", lambda: b"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>", "夹带了网页代码"),
    ("截断.pdf", lambda: files.clean_pdf()[: len(files.clean_pdf()) // 2], NOT_PDF),
    ("加密.pdf", lambda: files.encrypted(user_password="1234"), "设置了打开密码"),
    ("宏.docx", files.docx_with_macros, "是含宏的 Word 文档（DOCM），含有宏（VBA）代码"),
    ("宏2.docx", lambda: files.docx_with_macros(switch_content_type=False), "含有宏（VBA）代码"),
    ("宏.xlsx", files.xlsx_with_macros, "请在 Excel 中“另存为”不含宏的“Excel 工作簿（*.xlsx）”"),
    ("控件.docx", files.docx_with_activex, "含有 ActiveX 控件"),
    ("对象.docx", files.docx_with_ole_object, "含有嵌入的 OLE 对象"),
    ("模板.docx", lambda: files.docx_with_relationship("http://10.0.0.9/t.dotm", files.ATTACHED_TEMPLATE), "远程模板"),
]
CLEAN = [
    ("扫描件.pdf", files.clean_pdf, "pdf"),
    ("可打印.pdf", files.encrypted, "pdf"),  # owner password only: opens without asking
    ("清单.docx", files.clean_docx, "docx"),
    ("图表.docx", files.docx_with_embedded_workbook, "docx"),
    ("产品.xlsx", files.clean_xlsx, "xlsx"),
]


@pytest.fixture
def uploader(signed_in, media):
    return signed_in


def post(client, url, name, content):
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, HTTP_HX_REQUEST="true")


def upload_url(app):
    return reverse("applications:upload", args=[app.pk, SLOT])


def stored_files(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


@pytest.mark.parametrize("name, build, expected", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_active_content_is_refused_with_a_chinese_message_and_nothing_is_stored(uploader, draft, media, name, build,
                                                                                expected):  # fmt: skip
    response = post(uploader, upload_url(draft), name, build())
    page = response.content.decode()
    assert expected in page, page[:3000]
    assert f"“{name}”" in page  # the message names the file
    assert "。请" in page  # and goes on to say what to do
    assert not Attachment.objects.filter(application=draft).exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("name, build, kind", CLEAN, ids=[c[0] for c in CLEAN])
def test_the_clean_neighbours_are_accepted(uploader, draft, name, build, kind):
    response = post(uploader, upload_url(draft), name, build())
    assert response.status_code == 200
    assert f"已上传“{name}”" in response.content.decode()
    assert Attachment.objects.get(application=draft).file_type == kind


def test_replacing_a_clean_file_with_a_hostile_one_keeps_the_clean_one(uploader, draft, media):
    post(uploader, upload_url(draft), "清单.docx", files.clean_docx())
    kept = Attachment.objects.get(application=draft)
    url = reverse("applications:replace", args=[draft.pk, kept.pk])
    page = post(uploader, url, "清单.docx", files.docx_with_macros()).content.decode()
    assert "含有宏（VBA）代码" in page
    assert list(Attachment.objects.filter(application=draft)) == [kept]
    assert Attachment.objects.get(pk=kept.pk).removed_at is None
    assert len(stored_files(media)) == 1


@pytest.fixture
def submitted(media, call):
    return factories.submitted_application("150200")


def test_a_sealed_recommendation_with_a_script_is_refused_on_the_bureau_s_page(client, bureau, submitted, media):
    client.force_login(bureau)
    visit = {"visited_on": timezone.localdate().isoformat(), "people": "张伟", "findings": "现场数据属实。"}
    client.post(reverse("reviews:site_visit", args=[submitted.pk]), visit)
    sealed = SimpleUploadedFile("推荐文件.pdf", files.with_open_action(files.javascript))
    data = {"opinion": "同意推荐。", "sealed_file": sealed}
    response = client.post(reverse("reviews:recommend", args=[submitted.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "“推荐文件.pdf”含有 JavaScript 脚本" in page
    assert not Recommendation.objects.exists()
    assert Application.objects.get(pk=submitted.pk).status == Status.SUBMITTED
