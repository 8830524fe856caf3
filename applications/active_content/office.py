"""What an uploaded Word or Excel file may not carry: macros, ActiveX controls, OLE objects, remote links.

Each of these makes Office run code or fetch something when a reviewer opens the file, and none belongs in
an evidence document (a patent list, a table of figures):
- macros (VBA in vbaProject.bin, Excel 4.0 macro sheets): the classic Office malware, whatever the package
  declares itself to be; a .docx with a vbaProject.bin is a renamed .docm;
- ActiveX controls (word/activeX/, xl/activeX/): instantiate COM components with attacker-chosen properties,
  a long line of remote-code exploits;
- embedded OLE objects (*/embeddings/*.bin, oleObject*, or any other embedded file such as a legacy .doc):
  an OLE "package" runs whatever file it holds when double-clicked, and old OLE servers (the equation
  editor) were exploited just by opening the document; embedded .docx/.xlsx/.pptx packages (a chart's data)
  are allowed, macro-enabled ones are not;
- external relationships Office follows on opening: linked OLE objects, frames and sub-documents always
  (the "Follina" attack needed nothing else), and a template, linked picture or workbook link when it points
  to the network (a remote template brings its macros; a \\\\server path leaks the Windows login). A
  hyperlink only opens when clicked, after Office's own warning, and stays allowed.

The package is read through its ZIP directory, each part it inspects capped in size; the caller has already
refused a package whose directory promises a zip bomb.
"""

import re
import zipfile
from pathlib import PurePosixPath
from xml.parsers import expat

from applications.active_content import Finding

CONTENT_TYPES_PART = "[content_types].xml"
PART_MAX_BYTES = 1024 * 1024  # a relationships part of a real document is a few kB
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
MACRO_FOLDERS = ("xl/macrosheets/", "xl/dialogsheets/")  # Excel 4.0 (XLM) macros, older than VBA
MACRO_PACKAGES = (".docm", ".dotm", ".xlsm", ".xltm", ".xlsb", ".xlam", ".pptm", ".potm", ".ppsm", ".ppam")
EMBEDDED_PACKAGES = (".docx", ".xlsx", ".pptx")  # a chart's data, an inserted table: parts of the same kinds
ALWAYS_ACTIVE = {"oleobject", "frame", "subdocument", "control", "package"}
NETWORK_TARGET = re.compile(r"^\s*([a-z][a-z0-9+.-]+:|\\\\|//)", re.IGNORECASE)  # a URL, \\server or //server
LOCAL_DRIVE = re.compile(r"^\s*(file:///?)?[a-z]:[\\/]", re.IGNORECASE)

APP = {"docx": ("Word", "Word 文档（*.docx）"), "xlsx": ("Excel", "Excel 工作簿（*.xlsx）")}


def macro_finding(kind: str, what: str = "") -> Finding:
    """The finding for a package with macros: `kind` is the macro-free type the slot accepts (docx or xlsx),
    `what` the package's own declaration in words ("含宏的 Word 文档（DOCM）") when it admits to macros."""
    app, save_as = APP[kind]
    return Finding(
        f"{f'是{what}，' if what else ''}含有宏（VBA）代码，为安全起见不予接收",
        f"请在 {app} 中“另存为”不含宏的“{save_as}”后重新上传。",
    )


def activex_finding(kind):
    app, save_as = APP[kind]
    return Finding(
        "含有 ActiveX 控件（可以运行程序的控件），为安全起见不予接收",
        f"请在 {app} 中删除这些控件（或把内容复制到新建的文件中），另存为“{save_as}”后重新上传。",
    )


def ole_finding():
    return Finding(
        "含有嵌入的 OLE 对象（如插入的程序包、旧版公式或其他文件），平台无法检查其内容，为安全起见不予接收",
        "请删除这些对象（需要时另存为图片插入），或把被嵌入的文件作为单独的附件上传。",
    )


def external_finding(kind):
    advice = "Excel 中可用“数据 → 编辑链接 → 断开链接”" if kind == "xlsx" else "可把内容复制到新建的文档中"
    return Finding(
        "含有打开时会自动访问网络或加载外部对象的链接（如远程模板、链接的对象或外部工作簿），为安全起见不予接收",
        f"请删除这些链接（{advice}）后重新上传。",
    )


class _Found(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.found)
        self.finding = finding


def inspect_package(package: zipfile.ZipFile, kind: str) -> Finding | None:
    """None for a package without active content; `kind` is what it was recognised as (docx or xlsx).

    May raise zipfile.BadZipFile, OSError or ValueError for a damaged package, as reading it would."""
    try:
        _check_parts(package, kind)
        _check_content_types(package, kind)
        for member in package.infolist():
            if member.filename.lower().endswith(".rels"):
                _check_relationships(package, member, kind)
    except _Found as found:
        return found.finding
    return None


def _check_parts(package, kind):
    for member in package.infolist():
        path = member.filename.replace("\\", "/").lower()
        if path.endswith("/"):
            continue  # a folder entry some ZIP tools add
        name = PurePosixPath(path).name
        if name in MACRO_PARTS or path.startswith(MACRO_FOLDERS) or name.endswith(MACRO_PACKAGES):
            raise _Found(macro_finding(kind))
        if "activex/" in path:
            raise _Found(activex_finding(kind))
        if ("embeddings/" in path and not name.endswith(EMBEDDED_PACKAGES)) or name.startswith("oleobject"):
            raise _Found(ole_finding())


def _check_content_types(package, kind):
    names = {name.lower(): name for name in package.namelist()}
    if CONTENT_TYPES_PART not in names:
        return  # not recognised as a package without one (attachments._ooxml_kind)
    declared = _read_capped(package, names[CONTENT_TYPES_PART]).lower()
    if b"macroenabled" in declared or b"vbaproject" in declared:
        raise _Found(macro_finding(kind))
    if b"activex" in declared:
        raise _Found(activex_finding(kind))


def _check_relationships(package, member, kind):
    """External targets Office follows when the file is opened (see the module's docstring)."""

    def start(name, attrs):
        if name.rpartition(" ")[2] != "Relationship" or attrs.get("TargetMode", "").lower() != "external":
            return
        relationship = attrs.get("Type", "").rstrip("/").rpartition("/")[2].lower()
        target = attrs.get("Target", "")
        if relationship == "hyperlink":
            return
        if relationship in ALWAYS_ACTIVE or (NETWORK_TARGET.match(target) and not LOCAL_DRIVE.match(target)):
            raise _Found(external_finding(kind))

    def refuse_dtd(*_args):
        raise ValueError("DOCTYPE in a relationships part")  # entity expansion; no real package has one

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        parser.Parse(_read_capped(package, member), True)
    except expat.ExpatError as exc:
        raise ValueError(f"{member.filename} is not well-formed") from exc


def _read_capped(package, member) -> bytes:
    with package.open(member) as part:
        data = part.read(PART_MAX_BYTES + 1)
    if len(data) > PART_MAX_BYTES:
        raise ValueError(f"{part.name} too large")
    return data
