"""Checking an uploaded workbook's package before any spreadsheet library opens it.

An XLSX is a ZIP of XML parts. Everything that could hurt the server or a later reader is refused
here, from the ZIP's own directory and a streaming parse, without inflating anything into memory:
a file that is not a ZIP, encrypted or oddly named members, a declared size or compression ratio
typical of a zip bomb, macros, external links, embedded objects, XML with a DOCTYPE (entity
expansion), and sheets with far more rows, columns or cells than any template has.
"""

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath
from xml.parsers import expat

from django.conf import settings
from openpyxl.utils import column_index_from_string

from applications.attachments import describe_content

MB = 1024 * 1024
MAX_MEMBERS = 300
RATIO_CHECKED_ABOVE = MB  # small parts of any ratio are harmless; bombs are large by definition
# Far beyond any template (the longest sheet has a few hundred rows, 7 columns), far below harm.
MAX_SHEET_ROWS = 2000
MAX_SHEET_COLUMNS = 100
MAX_SHEET_CELLS = 50_000
MAX_PART_ELEMENTS = 300_000
NOT_XLSX = "请上传由本系统下载的Excel工作簿（.xlsx），在其中填写后保存为“Excel工作簿（*.xlsx）”格式。"
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")
_MACRO_PARTS = ("vbaproject.bin", "xl/macrosheets/", "xl/dialogsheets/", "customui/", "vbadata.xml")
_EMBEDDED_PARTS = ("xl/embeddings/", "xl/activex/", "xl/ctrlprops/")


class PackageRefused(Exception):
    """The upload cannot be read safely as a workbook; the message says why, in the applicant's words."""


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    uncompressed_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls):
        return cls(
            upload_bytes=getattr(settings, "SHENBAO_WORKBOOK_MAX_BYTES", 5 * MB),
            uncompressed_bytes=getattr(settings, "SHENBAO_WORKBOOK_MAX_UNCOMPRESSED_BYTES", 50 * MB),
            ratio=getattr(settings, "SHENBAO_WORKBOOK_MAX_RATIO", 100),
        )


def read_upload(uploaded_file, limits) -> bytes:
    """The uploaded bytes, refused unread when larger than the cap."""
    cap = limits.upload_bytes
    if uploaded_file.size is not None and uploaded_file.size > cap:
        raise PackageRefused(f"文件大小 {uploaded_file.size / MB:.1f} MB，超过 {cap / MB:g} MB 的上限。")
    uploaded_file.seek(0)
    content = uploaded_file.read(cap + 1)
    if len(content) > cap:
        raise PackageRefused(f"文件超过 {cap / MB:g} MB 的上限。")
    if not content:
        raise PackageRefused("上传的文件是空的。")
    return content


def inspect_package(content: bytes, limits) -> None:
    if not content.startswith(b"PK\x03\x04"):
        what = describe_content(BytesIO(content))
        raise PackageRefused(f"上传的文件{f'是{what}，' if what else ''}不是Excel工作簿。{NOT_XLSX}")
    try:
        package = zipfile.ZipFile(BytesIO(content))
        members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageRefused(f"文件已损坏或不是完整的Excel工作簿。{NOT_XLSX}") from exc
    with package:
        _check_members(members, limits)
        _check_content_types(package)
        for member in members:
            lower = member.filename.lower()
            if lower.endswith((".xml", ".rels")):
                _scan_xml(package, member)
            elif not lower.endswith("/") and not lower.startswith(_OPAQUE_PARTS) and not lower.endswith(".vml"):
                # openpyxl reads whatever part the relationships name, whatever its suffix: a sheet
                # renamed .bin would skip the scan above, so no other part is accepted at all.
                raise PackageRefused("文件含有本系统模板中没有的部件，已拒绝。请使用系统下载的模板填写。")


def _check_members(members, limits):
    if len(members) > MAX_MEMBERS:
        raise PackageRefused("文件内部结构异常（部件过多），不是本系统的Excel模板。")
    names, total = set(), 0
    for member in members:
        name = member.filename
        lower = name.lower()
        path = PurePosixPath(name)
        if name.startswith("/") or "\\" in name or ".." in path.parts or ":" in name or lower in names:
            raise PackageRefused("文件内部结构异常（含有可疑的部件名称），已拒绝。")
        names.add(lower)
        if member.flag_bits & 0x1:
            raise PackageRefused("文件已加密或设置了打开密码，请取消密码后重新保存再上传。")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageRefused("文件使用了不支持的压缩方式，请用 Excel 或 WPS 另存为 .xlsx 后再上传。")
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > limits.uncompressed_bytes or (member.file_size > RATIO_CHECKED_ABOVE and ratio > limits.ratio):
            raise PackageRefused("文件解压后的体积异常（疑似“压缩炸弹”），已拒绝，没有读取其内容。")
        if any(part in lower for part in _MACRO_PARTS):
            raise PackageRefused("文件含有宏（VBA），不能导入。请另存为不含宏的“Excel工作簿（*.xlsx）”后再上传。")
        if lower.startswith("xl/externallinks/"):
            raise PackageRefused("文件含有指向其他工作簿的外部链接，不能导入。请删除外部链接后再上传。")
        if lower.startswith(_EMBEDDED_PARTS):
            raise PackageRefused("文件含有嵌入对象或控件，不能导入。请使用系统下载的模板填写。")
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise PackageRefused(f"文件不是Excel工作簿。{NOT_XLSX}")


def _check_content_types(package):
    with package.open("[Content_Types].xml") as part:
        declared = part.read(256 * 1024 + 1).lower()
    if b"macroenabled" in declared or b"vbaproject" in declared:
        raise PackageRefused("文件是启用宏的工作簿（.xlsm），不能导入。请另存为“Excel工作簿（*.xlsx）”后再上传。")
    if b"externallink" in declared:
        raise PackageRefused("文件含有指向其他工作簿的外部链接，不能导入。请删除外部链接后再上传。")
    if b"spreadsheetml.sheet.main+xml" not in declared:
        raise PackageRefused(f"文件不是Excel工作簿（可能是模板、Word 文档或其他格式）。{NOT_XLSX}")


# Parts that are not XML and that openpyxl never parses as a sheet: pictures, printer settings
# Excel and WPS add, and the thumbnail. (Excel's VML drawings are not well-formed XML either.)
_OPAQUE_PARTS = ("xl/media/", "xl/printersettings/", "docprops/thumbnail")


class _TooBig(Exception):
    pass


def _scan_xml(package, member):
    """Stream one XML part through expat: no DOCTYPE or entities, and bounded sheet dimensions."""
    is_sheet = member.filename.lower().startswith("xl/worksheets/")
    counts = {"elements": 0, "rows": 0, "cells": 0}

    def start(name, attrs):
        local = name.rpartition(" ")[2]
        counts["elements"] += 1
        if counts["elements"] > MAX_PART_ELEMENTS:
            raise _TooBig("部件内容过多")
        if not is_sheet:
            return
        if local == "row":
            counts["rows"] += 1
            r = attrs.get("r", "")
            if counts["rows"] > MAX_SHEET_ROWS or (r.isdigit() and int(r) > MAX_SHEET_ROWS):
                raise _TooBig(f"超过 {MAX_SHEET_ROWS} 行")
        elif local == "c":
            counts["cells"] += 1
            match = _CELL_REF.fullmatch(attrs.get("r", "A1"))
            if counts["cells"] > MAX_SHEET_CELLS:
                raise _TooBig(f"超过 {MAX_SHEET_CELLS} 个单元格")
            if not match or column_index_from_string(match[1]) > MAX_SHEET_COLUMNS:
                raise _TooBig(f"超过 {MAX_SHEET_COLUMNS} 列")
            if int(match[2]) > MAX_SHEET_ROWS:
                raise _TooBig(f"超过 {MAX_SHEET_ROWS} 行")

    def refuse_dtd(*_args):
        raise PackageRefused("文件含有不允许的 XML 声明（DOCTYPE/实体），已拒绝。")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        with package.open(member) as stream:
            parser.ParseFile(stream)
    except _TooBig as exc:
        where = "工作表" if is_sheet else "文件部件"
        raise PackageRefused(f"{where}过大（{exc}），远超申报书模板的范围（huge sheet），已拒绝。") from exc
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageRefused(f"文件已损坏，无法读取（{member.filename}）。{NOT_XLSX}") from exc
