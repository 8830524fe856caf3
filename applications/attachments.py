"""Evidence files in an application's slots: recognised by content, stored under random names, never destroyed."""

import hashlib
import logging
import re
import zipfile
import zlib
from collections import defaultdict
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import NamedTuple

import filetype
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image

from applications import deadlines
from applications.active_content.office import inspect_package, macro_finding
from applications.active_content.pdf import inspect_pdf
from applications.models import Application, Attachment
from applications.records import active_attachments
from calls.schema.rules import condition_holds
from security import policy

logger = logging.getLogger(__name__)

MB = 1024 * 1024


class FileType(NamedTuple):
    name: str  # how a message names it
    extension: str  # the stored file's extension
    content_type: str  # what downloads are served as
    accept: str  # the file input's hint to the browser; the server decides by content


FILE_TYPES = {
    "pdf": FileType("PDF 文件", ".pdf", "application/pdf", ".pdf"),
    "jpg": FileType("JPG 图片", ".jpg", "image/jpeg", ".jpg,.jpeg"),
    "png": FileType("PNG 图片", ".png", "image/png", ".png"),
    "docx": FileType(
        "Word 文档（DOCX）",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "xlsx": FileType(
        "Excel 表格（XLSX）", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
    ),
}

# Content that is none of the accepted types, named so the applicant knows what to convert.
OTHER_KINDS = {
    "docm": "含宏的 Word 文档（DOCM）",
    "xlsm": "含宏的 Excel 表格（XLSM）",
    "pptx": "PowerPoint 演示文稿（PPTX）",
    "zip": "ZIP 压缩包",
    "html": "网页文件（HTML）",
    "text": "纯文本文件",
    "doc": "旧版 Word 文档（DOC）",
    "xls": "旧版 Excel 表格（XLS）",
    "ppt": "旧版 PowerPoint 演示文稿（PPT）",
    "exe": "Windows 可执行程序（EXE）",
    "elf": "可执行程序",
    "gif": "GIF 图片",
    "bmp": "BMP 图片",
    "tif": "TIFF 图片",
    "webp": "WebP 图片",
    "heic": "HEIC 图片",
    "rar": "RAR 压缩包",
    "7z": "7z 压缩包",
    "gz": "gzip 压缩包",
}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
HEAD_BYTES = 8192

# The main part's content type in [Content_Types].xml says what an OOXML package really is;
# the macro-enabled variants have their own types and so are never taken for DOCX or XLSX.
OOXML_MAIN_PARTS = (
    ("docx", "word/document.xml", "wordprocessingml.document.main+xml"),
    ("xlsx", "xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    ("docm", "word/document.xml", "ms-word.document.macroenabled.main+xml"),
    ("xlsm", "xl/workbook.xml", "ms-excel.sheet.macroenabled.main+xml"),
    ("pptx", "ppt/presentation.xml", "presentationml.presentation.main+xml"),
)
# A package that declares macros, in a slot that takes its macro-free kind, is told so in those words.
MACRO_FREE = {"docm": "docx", "xlsm": "xlsx"}
CONTENT_TYPES_PART = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 512 * 1024


class AttachmentRejected(Exception):
    """An upload, replacement or removal refused, with the message to show the applicant."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Recognising a file by its bytes ---


def detect_type(uploaded_file) -> str:
    """pdf, jpg, png, docx or xlsx as the content shows it, whatever the name says; "" for anything else."""
    kind = _identify(uploaded_file)
    return kind if kind in FILE_TYPES else ""


def describe_content(uploaded_file) -> str:
    """What the content is, in words for a message ("纯文本文件", "Word 文档（DOCX）"); "" if unknown."""
    kind = _identify(uploaded_file)
    if kind in FILE_TYPES:
        return FILE_TYPES[kind].name
    return OTHER_KINDS.get(kind) or (f"{kind.upper()} 文件" if kind else "")


def _identify(uploaded_file) -> str:
    head = _head(uploaded_file)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(PNG_SIGNATURE):
        return "png"
    if head.startswith(ZIP_SIGNATURE):
        return _ooxml_kind(uploaded_file)
    guess = filetype.guess(head)
    if guess:
        return guess.extension
    return _text_kind(head)


def _head(uploaded_file) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    return head


def _ooxml_kind(uploaded_file) -> str:
    """docx, xlsx or another OOXML kind from the package's own declarations; "zip" for any other ZIP."""
    try:
        with zipfile.ZipFile(uploaded_file) as package:
            names = set(package.namelist())
            if CONTENT_TYPES_PART not in names:
                return "zip"
            declared = _read_capped(package, CONTENT_TYPES_PART).lower()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    finally:
        uploaded_file.seek(0)
    for kind, main_part, content_type in OOXML_MAIN_PARTS:
        if main_part in names and content_type.encode() in declared:
            return kind
    return "zip"


def _read_capped(package, name) -> bytes:
    # Read no more than a real [Content_Types].xml could need, whatever the ZIP header claims.
    with package.open(name) as part:
        data = part.read(CONTENT_TYPES_MAX_BYTES + 1)
    if len(data) > CONTENT_TYPES_MAX_BYTES:
        raise ValueError("[Content_Types].xml too large")
    return data


def _text_kind(head: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return ""
    if re.match(r"\s*<(!doctype\s+html|html|head|body|script|\?xml)", text, re.IGNORECASE):
        return "html"
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return "text" if text and printable / len(text) > 0.95 else ""


# --- The slots of an application, for pages ---


def slot_listing(application, section_key=None):
    """Every slot of the schema (or of one section) in schema order, with its active files.

    Each item: slot, files, required (now, conditions evaluated against the data), conditional,
    accepts (types in words), accept (the file input's hint), max_mb, full.
    """
    schema = application.schema
    slots = schema.slots if section_key is None else schema.slots_for(section_key)
    files = defaultdict(list)
    for attachment in active_attachments(application).filter(slot__in=[s.key for s in slots]):
        files[attachment.slot].append(attachment)
    return [slot_item(application, slot, files[slot.key]) for slot in slots]


def slot_item(application, slot, files=None):
    """One item of `slot_listing`, e.g. to re-render a single slot after an upload."""
    if files is None:
        files = list(active_attachments(application, slot.key))
    return {
        "slot": slot,
        "files": files,
        "required": is_required(application, slot),
        "conditional": bool(slot.required_when),
        "accepts": accepted_types(slot),
        "accept": ",".join(FILE_TYPES[t].accept for t in slot.types),
        "max_mb": max_upload_mb(),
        "full": len(files) >= slot.max_files,
    }


def is_required(application, slot) -> bool:
    schema = application.schema
    return bool(slot.required or (slot.required_when and condition_holds(schema, slot.required_when, application.data)))


def accepted_types(slot) -> str:
    return "、".join(t.upper() for t in slot.types)


def max_upload_mb():
    return _format_mb(policy.current().upload_max_bytes)


def _format_mb(size):
    return f"{size / MB:.1f}".removesuffix(".0")


# --- Changing the files of a slot ---


def add_attachment(application, slot_key, uploaded_file, user) -> Attachment:
    """Store `uploaded_file` in the slot, if the application is editable, the file fits and the slot has room."""
    slot = _slot(application, slot_key)
    _check_editable(application)
    _check_room(application, slot)
    file_type = check_file(slot, uploaded_file)
    attachment = _store(application, slot, uploaded_file, file_type, user)
    with discarding_on_failure([attachment]):
        locked = _lock(application)
        _check_editable(locked)
        _check_room(locked, slot)
        attachment.save()
    logger.info("attachment %s added to %s/%s by user %s", attachment.pk, application.number, slot.key, user.pk)
    return attachment


def replace_attachment(attachment, uploaded_file, user) -> Attachment:
    """A new file in the same slot; the old row is hidden, its stored file kept for submitted versions."""
    application = attachment.application
    slot = _slot(application, attachment.slot)
    _check_editable(application)
    if attachment.removed_at:
        raise AttachmentRejected(_already_gone())
    file_type = check_file(slot, uploaded_file)
    replacement = _store(application, slot, uploaded_file, file_type, user)
    with discarding_on_failure([replacement]):
        _check_editable(_lock(application))
        attachment.removed_at = _hide(attachment)
        replacement.save()
    logger.info(
        "attachment %s replaced by %s in %s by user %s", attachment.pk, replacement.pk, application.number, user.pk
    )
    return replacement


def remove_attachment(attachment, user):
    """Hide the file from the draft. The stored file stays: submitted versions refer to it by hash."""
    application = attachment.application
    with transaction.atomic():
        _check_editable(_lock(application))
        attachment.removed_at = _hide(attachment)
    logger.info("attachment %s removed from %s by user %s", attachment.pk, application.number, user.pk)


def _slot(application, slot_key):
    slot = application.schema.slot(slot_key)
    if slot is None:
        raise AttachmentRejected(f"附件类别“{slot_key}”不存在。")
    return slot


def _check_editable(application):
    if not application.is_editable:
        raise AttachmentRejected(f"申报书当前状态为“{application.get_status_display()}”，附件不能再修改。")
    # The same window as autosave: outside it the record, files included, is read-only.
    if not deadlines.open_for_applicant(application):
        raise AttachmentRejected("不在申报时间内，附件不能修改。")


def _check_room(application, slot):
    if active_attachments(application, slot.key).count() >= slot.max_files:
        advice = "如需更换，请对已上传的文件使用“替换”" if slot.max_files == 1 else "请先删除不需要的文件，或使用“替换”"
        raise AttachmentRejected(f"“{slot.label}”最多上传 {slot.max_files} 个文件，已经传满。{advice}。")


def check_file(slot, uploaded_file) -> str:
    """The detected type of an acceptable file; checks size first so nothing large is read for nothing."""
    name = clean_name(uploaded_file.name)
    if not uploaded_file.size:
        raise AttachmentRejected(f"“{name}”是空文件（0 字节），请检查后重新选择。")
    limit = policy.current().upload_max_bytes  # the 安全管理员's runtime policy (security app)
    if uploaded_file.size > limit:
        raise AttachmentRejected(
            f"“{name}”大小为 {_format_mb(uploaded_file.size)} MB，超过了每个文件 {_format_mb(limit)} MB 的上限。"
        )
    file_type = detect_type(uploaded_file)
    if file_type not in slot.types:
        raise AttachmentRejected(_wrong_type(slot, name, uploaded_file))
    if file_type in ("jpg", "png"):
        _check_image(name, uploaded_file)
    elif file_type == "pdf":
        _check_pdf(name, uploaded_file)
    else:
        _check_package(name, uploaded_file, file_type)
    return file_type


def _check_image(name, uploaded_file):
    """A picture must decode whole: a truncated or corrupt one (or a pixel bomb) is refused, not stored.

    The pixel limit is compared here, after reading the header only, rather than by turning Pillow's
    DecompressionBombWarning into an error: the warnings filter is process-wide, not thread-safe."""
    try:
        with Image.open(uploaded_file) as image:
            limit = Image.MAX_IMAGE_PIXELS  # None switches Pillow's own limit off
            if limit is not None and image.width * image.height > limit:
                raise Image.DecompressionBombError(f"{image.width}×{image.height}")
            image.verify()
        uploaded_file.seek(0)
        with Image.open(uploaded_file) as image:
            image.load()  # verify() does not notice missing image data at the end; decoding does
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise AttachmentRejected(
            f"“{name}”不是完整的图片（文件已损坏、未传完或尺寸异常），请重新导出或拍摄后上传。"
        ) from None
    finally:
        uploaded_file.seek(0)


def _check_pdf(name, uploaded_file):
    """A PDF must parse, and carry no script, launch action, embedded file or non-PDF content (active_content.pdf)."""
    uploaded_file.seek(0)
    try:
        finding = inspect_pdf(uploaded_file.read())  # at most the policy's upload limit, checked above
    finally:
        uploaded_file.seek(0)
    if finding is not None:
        raise AttachmentRejected(finding.message(name))


def _check_package(name, uploaded_file, file_type):
    """A Word or Excel file whose ZIP directory promises a zip bomb is refused without inflating anything;
    one with macros, ActiveX controls, OLE objects or remote links is refused too (active_content.office)."""
    limit, ratio = settings.SHENBAO_WORKBOOK_MAX_UNCOMPRESSED_BYTES, settings.SHENBAO_WORKBOOK_MAX_RATIO
    try:
        with zipfile.ZipFile(uploaded_file) as package:
            members = package.infolist()
            bomb = sum(m.file_size for m in members) > limit or any(
                m.file_size > MB and m.file_size / max(m.compress_size, 1) > ratio for m in members
            )
            finding = None if bomb else inspect_package(package, file_type)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        # RuntimeError: a member with a password; NotImplementedError: a compression Office never uses
        raise AttachmentRejected(f"“{name}”已损坏，无法打开，请重新保存后上传。") from None
    finally:
        uploaded_file.seek(0)
    if bomb:
        raise AttachmentRejected(f"“{name}”解压后的体积异常（疑似“压缩炸弹”），已拒绝。请重新保存后上传。")
    if finding is not None:
        raise AttachmentRejected(finding.message(name))


def _wrong_type(slot, name, uploaded_file):
    kind = _identify(uploaded_file)
    if MACRO_FREE.get(kind) in slot.types:
        return macro_finding(MACRO_FREE[kind], OTHER_KINDS[kind]).message(name)
    accepts = accepted_types(slot)
    actual = describe_content(uploaded_file)
    found = f"“{name}”的内容实际是{actual}" if actual else f"无法识别“{name}”的文件类型"
    return f"“{slot.label}”只接受 {accepts} 文件，{found}。请转换为 {accepts} 格式后重新上传（仅修改扩展名无效）。"


def clean_name(name) -> str:
    """The name as shown and offered on download: no path components, at most 255 characters."""
    # Control characters and bidirectional overrides (U+202E makes "cod.exe" read as "exe.doc") go.
    name = re.sub(r"[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if name in ("", ".", ".."):
        return "未命名文件"
    if len(name) > 255:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: 255 - len(suffix)] + suffix
    return name


def _store(application, slot, uploaded_file, file_type, user) -> Attachment:
    """Write the file under a random name with the detected type's extension; the row is not saved yet."""
    attachment = Attachment(
        application=application,
        slot=slot.key,
        original_name=clean_name(uploaded_file.name),
        file_type=file_type,
        size=uploaded_file.size,
        sha256=sha256_of(uploaded_file),
        uploaded_by=user,
    )
    # Only the extension of this name reaches the path (see models.attachment_path).
    attachment.file.save(f"upload{FILE_TYPES[file_type].extension}", uploaded_file, save=False)
    return attachment


def sha256_of(uploaded_file) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


@contextmanager
def discarding_on_failure(rows):
    """A transaction that deletes the just-written, never-referenced files of `rows` if it does not commit.

    `rows` is read only on failure, so a caller may add to it inside the block (files stored one by one).
    """
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for row in rows:
            row.file.delete(save=False)
        raise


def _lock(application) -> Application:
    # Serialises changes to one application's files, so two uploads cannot both take the last place.
    return Application.objects.select_for_update().get(pk=application.pk)


def _hide(attachment):
    now = timezone.now()
    if not Attachment.objects.filter(pk=attachment.pk, removed_at__isnull=True).update(removed_at=now):
        raise AttachmentRejected(_already_gone())
    return now


def _already_gone():
    return "该文件已被删除或替换，请刷新页面后再操作。"
