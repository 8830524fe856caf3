"""What an uploaded PDF may not carry: scripts, launch and submit actions, embedded files, content that is not PDF.

A reviewer opens an applicant's PDF in a desktop reader (WPS, Adobe, Foxit), which runs JavaScript, follows
launch actions and offers embedded files. A stamped scan or an exported report needs none of that, so a PDF
carrying any of it is refused, not rewritten: the applicant makes a clean PDF again (print to PDF, rescan).

The file is read with pyHanko's parser, never by a byte scan alone: names may be hex-escaped (/J#61vaScript)
and objects may sit in compressed object streams. Every object physically in the file is looked at, not only
those the current cross-reference table lists: objects of earlier revisions, objects no table lists (a reader
that repairs a damaged file finds them) and every member of every object stream. The work is bounded in
objects, nesting, decoded bytes (pyHanko's DecodeLimits for untrusted input) and time.
"""

import re
import time
from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt import AuthStatus, StandardSecurityHandler
from pyhanko.pdf_utils.decode_limits import DecodeLimits, DecodePurpose, DocumentDecodeBudget
from pyhanko.pdf_utils.misc import PdfDecodeLimitError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.xref import read_object_header

from applications.active_content import Finding

MB = 1024 * 1024
MAX_OBJECTS = 100_000  # a 400-page report made by WeasyPrint has 1,500; a stamped scan a few dozen
MAX_NODES = 5_000_000  # dictionary entries and array items looked at, over all objects
MAX_DEPTH = 64  # levels of dictionaries and arrays inside one object; real files use a handful
TIME_LIMIT_SECONDS = 20.0
# Object streams hold dictionaries, a few MB even in large reports; the file itself is capped by the policy.
DECODE_LIMITS = DecodeLimits(document_budget=DocumentDecodeBudget(base_allowance=64 * MB, max_ratio=4))

WHITESPACE = b"\x00\t\n\x0c\r "
HEADER = re.compile(rb"%PDF-[12]\.\d")
OBJECT_HEADER = re.compile(rb"(?<![0-9])(\d{1,10})[\x00\t\n\x0c\r ]+(\d{1,5})[\x00\t\n\x0c\r ]+obj(?![A-Za-z0-9])")
FIRST_TOKEN = re.compile(rb"\d{1,10}[\x00\t\n\x0c\r ]+\d{1,5}[\x00\t\n\x0c\r ]+obj(?![A-Za-z0-9])|xref")
MARKUP = re.compile(rb"<\s*[A-Za-z!?/]")
END_OF_LINE = re.compile(rb"[\r\n]")
EOF_MARKER = b"%%EOF"

# Action types (/S) that run code, start programs, open or fetch other files, or send data out.
ACTION_FINDINGS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/GoToR": "launch",  # opens another file, e.g. on \\server\share, which leaks the Windows login
    "/GoToE": "embedded",  # opens a file embedded in this one
    "/SubmitForm": "submit",
    "/ImportData": "submit",
    "/RichMediaExecute": "media",
    "/Rendition": "media",
    "/Movie": "media",
    "/Sound": "media",
}
# Keys whose mere presence is the finding, wherever they appear.
KEY_FINDINGS = {
    "/JS": "javascript",  # the script of an action
    "/JavaScript": "javascript",  # the document's script name tree (/Names)
    "/OnInstantiate": "javascript",  # a 3D stream's script
    "/XFA": "xfa",
    "/EmbeddedFiles": "embedded",
    "/EF": "embedded",  # a file specification carrying the file itself
    "/RichMediaContent": "media",
}
SUBTYPE_FINDINGS = {
    "/FileAttachment": "embedded",
    "/RichMedia": "media",
    "/3D": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/Screen": "media",
}
TYPE_FINDINGS = {"/EmbeddedFile": "embedded"}
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")

REMAKE = "请用 PDF 阅读器“打印”为新的 PDF 文件（或重新扫描、重新导出）后上传。"
FINDINGS = {
    "javascript": ("含有 JavaScript 脚本（打开或操作文件时会自动运行）", REMAKE),
    "launch": ("含有启动程序或打开其他文件的操作", REMAKE),
    "submit": ("含有向外部地址提交或导入数据的表单操作", REMAKE),
    "uri": ("含有指向本机文件、共享文件夹或脚本的链接（如 file:、javascript:）", "请删除这些链接后重新导出 PDF 上传。"),
    "xfa": ("是含有 XFA 动态表单的 PDF（动态表单可以运行脚本）", REMAKE),
    "embedded": (
        "内嵌了其他文件（PDF 附件），平台无法检查内嵌文件的内容",
        "请删除 PDF 中的附件、把需要提交的材料作为单独的附件上传；或" + REMAKE.removeprefix("请"),
    ),
    "media": ("含有多媒体或三维内容（视频、声音、Flash、3D 模型）", REMAKE),
}


class _Refused(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.found)
        self.finding = finding


def finding(kind) -> Finding:
    """The refusal for one kind of active content (a key of FINDINGS)."""
    found, advice = FINDINGS[kind]
    return Finding(f"{found}，为安全起见不予接收", advice)


NOT_PDF = Finding(
    "无法作为 PDF 文件读取（文件已损坏、没有传完整，或是把其他文件改成了 .pdf）",
    "请重新导出或扫描为 PDF 后上传。",
)
NOT_PDF_CONTENT = Finding(
    "以 PDF 文件头开始，却夹带了网页代码或其他不属于 PDF 的内容，为安全起见不予接收",
    "请用扫描或导出软件重新生成 PDF 后上传。",
)
PASSWORD = Finding(
    "设置了打开密码，平台无法检查其内容",
    "请在 PDF 软件中取消打开密码（另存为不加密的 PDF）后重新上传。",
)
TOO_COMPLEX = Finding(
    "结构异常（对象过多、嵌套过深或解压后体积异常，疑似“解析炸弹”），已拒绝",
    REMAKE,
)


def inspect_pdf(data: bytes) -> Finding | None:
    """None for a PDF without active content; otherwise what was found and what the applicant should do."""
    try:
        _check_framing(data)
        _Inspection(data).run()
    except _Refused as refused:
        return refused.finding
    return None


def _check_framing(data: bytes):
    """Only whitespace and comments between the header and the first object, and nothing after the last %%EOF.

    A file that starts "%PDF-1.7" and goes on with an HTML page is a polyglot: a PDF reader ignores the page,
    a browser or a careless preview shows it.
    """
    header = HEADER.match(data)
    if header is None:
        raise _Refused(NOT_PDF)
    position = header.end()
    while position < len(data):
        byte = data[position : position + 1]
        if byte == b"%":
            end_of_line = END_OF_LINE.search(data, position)
            comment_end = end_of_line.start() if end_of_line else len(data)
            if MARKUP.search(data, position, comment_end):
                raise _Refused(NOT_PDF_CONTENT)
            position = comment_end
        elif byte in WHITESPACE:
            position += 1
        else:
            break
    if not FIRST_TOKEN.match(data, position):
        raise _Refused(NOT_PDF_CONTENT if position < len(data) else NOT_PDF)
    last_eof = data.rfind(EOF_MARKER)
    if last_eof < 0:
        raise _Refused(NOT_PDF)  # cut off before its end: nothing after the last object was sent
    if data[last_eof + len(EOF_MARKER) :].strip(WHITESPACE):
        raise _Refused(NOT_PDF_CONTENT)


class _Inspection:
    """One pass over every object of one file, within the bounds above."""

    def __init__(self, data: bytes):
        self.data = data
        self.deadline = time.monotonic() + TIME_LIMIT_SECONDS
        self.objects = 0
        self.nodes = 0
        self.object_streams: list[tuple[int | None, generic.StreamObject]] = []  # (object number, stream)
        # Set when the file is encrypted and opens with the empty user password.
        self.security_handler: StandardSecurityHandler | None = None

    def run(self):
        try:
            # Not strict: real writers break the letter of the standard (Pillow's scans number object 0
            # "65536 f"), and every object in the file is looked at below whatever the tables say.
            reader = PdfFileReader(BytesIO(self.data), strict=False, decode_limits=DECODE_LIMITS)
            self._unlock(reader)
            listed, needed_streams = self._listed_objects(reader)
        except _Refused:
            raise
        except (PdfDecodeLimitError, RecursionError, MemoryError):
            raise _Refused(TOO_COMPLEX) from None
        except Exception:  # a hostile file makes a parser raise anything; what cannot be read is refused
            raise _Refused(NOT_PDF) from None
        # Objects no table lists: a reader repairing the file would find them, so they are looked at too.
        self._unlisted_objects(reader, listed)
        # Every member of every object stream, listed or not, each stream decoded and parsed once.
        found_streams = set()
        for number, stream in self.object_streams:
            needed = number in needed_streams
            if self._object_stream_members(stream, needed) and needed:
                found_streams.add(number)
        if needed_streams - found_streams:
            raise _Refused(NOT_PDF)  # the table puts objects in a stream that is not there

    def _unlock(self, reader):
        """An owner-password PDF (print or copy restricted) opens with the empty user password and is read."""
        if not reader.encrypted:
            return
        handler = reader.security_handler
        if not isinstance(handler, StandardSecurityHandler):
            raise _Refused(PASSWORD)  # encrypted for certificates: nobody here holds the key
        if reader.decrypt("").status == AuthStatus.FAILED:
            raise _Refused(PASSWORD)
        self.security_handler = handler

    def _listed_objects(self, reader) -> tuple[set[int], set[int]]:
        """Read, as a PDF reader would, every object that any revision's cross-reference section places in the
        file; return their offsets, and the numbers of the object streams holding the others.

        Objects inside object streams are read with their stream (`_object_stream_members`): pyHanko parses
        a stream's index again for each member it is asked for, which is quadratic in the stream's size."""
        xrefs = reader.xrefs
        offsets, streams = set(), set()
        for revision in range(reader.total_revisions):
            for ref in sorted(xrefs.explicit_refs_in_revision(revision), key=lambda r: (r.idnum, r.generation)):
                marker = xrefs.get_historical_ref(ref, revision)
                if marker is None:
                    continue  # freed in this revision
                if not isinstance(marker, int):
                    streams.add(marker.obj_stream_id)
                    continue
                offsets.add(marker)
                self._count_object()
                self._top_level(reader.get_object(ref, revision=revision, transparent_decrypt=False))
        return offsets, streams

    def _unlisted_objects(self, reader, listed):
        for match in OBJECT_HEADER.finditer(self.data):
            if match.start() in listed:
                continue
            self._count_object()
            obj = self._parse_at(reader, match.start())
            if obj is not None and self.security_handler is not None:
                obj = generic.proxy_encrypted_obj(obj, self.security_handler)
            if obj is not None:
                self._top_level(obj)

    def _parse_at(self, reader, offset):
        try:
            reader.stream.seek(offset)
            idnum, generation = read_object_header(reader.stream, strict=False)
            return generic.read_object(reader.stream, generic.Reference(idnum, generation, reader))
        except (RecursionError, MemoryError):
            raise _Refused(TOO_COMPLEX) from None
        except Exception:  # bytes that only look like an object header, e.g. inside an image
            return None

    def _object_stream_members(self, stream, needed) -> bool:
        """Inspect every object in an object stream; False if the stream cannot be decoded or indexed."""
        try:
            members = BytesIO(stream.read_data(DecodePurpose.OBJECT_STREAM))
            count, first = int(stream["/N"]), int(stream["/First"])
            offsets = []
            for _ in range(count):
                self._count_object()
                generic.read_non_whitespace(members, seek_back=True)
                generic.NumberObject.read_from_stream(members)
                generic.read_non_whitespace(members, seek_back=True)
                offsets.append(int(generic.NumberObject.read_from_stream(members)))
        except _Refused:
            raise
        except (PdfDecodeLimitError, RecursionError, MemoryError):
            raise _Refused(TOO_COMPLEX) from None
        except Exception:
            if needed:
                raise _Refused(NOT_PDF) from None
            return False
        for offset in offsets:
            try:
                members.seek(first + offset)
                member = generic.read_object(members, stream.container_ref)
            except (RecursionError, MemoryError):
                raise _Refused(TOO_COMPLEX) from None
            except Exception:
                if needed:
                    raise _Refused(NOT_PDF) from None
                continue
            self._inspect(member)
        return True

    def _count_object(self):
        self.objects += 1
        if self.objects > MAX_OBJECTS or time.monotonic() > self.deadline:
            raise _Refused(TOO_COMPLEX)

    def _top_level(self, obj):
        """An object read from the file itself: in an encrypted file its strings and stream data are encrypted
        (names and structure are not), so it is inspected as it is and decrypted only where a string or an
        object stream's data is needed. Decrypting every string would fail on those exempt from encryption
        (the /Encrypt dictionary's, a signature's /Contents)."""
        raw = obj.raw_object if isinstance(obj, generic.DecryptedObjectProxy) else obj
        self._inspect(raw, encrypted=raw is not obj)
        if isinstance(raw, generic.StreamObject) and "/Type" in raw and raw.raw_get("/Type") == "/ObjStm":
            number = getattr(raw.container_ref, "idnum", None)
            self.object_streams.append((number, obj.decrypted if raw is not obj else raw))

    def _inspect(self, obj, encrypted=False):
        """Refuse if this object, or anything nested in it, is active content. References are not followed:
        the object they point to is inspected on its own."""
        if time.monotonic() > self.deadline:
            raise _Refused(TOO_COMPLEX)
        stack = [(obj, 0)]
        while stack:
            item, depth = stack.pop()
            if depth >= MAX_DEPTH:
                raise _Refused(TOO_COMPLEX)
            if isinstance(item, generic.DictionaryObject):
                self._check_dictionary(item, encrypted)
                values = [item.raw_get(key) for key in item]
            elif isinstance(item, generic.ArrayObject):
                values = list(item)
            else:
                continue
            self.nodes += len(values)
            if self.nodes > MAX_NODES:
                raise _Refused(TOO_COMPLEX)
            stack.extend((value, depth + 1) for value in values)

    def _check_dictionary(self, dictionary, encrypted):
        for key in dictionary:
            if key in KEY_FINDINGS:
                raise _Refused(finding(KEY_FINDINGS[key]))
        for key, table in (("/S", ACTION_FINDINGS), ("/Subtype", SUBTYPE_FINDINGS), ("/Type", TYPE_FINDINGS)):
            value = dictionary.raw_get(key) if key in dictionary else None
            if isinstance(value, generic.NameObject) and value in table:
                raise _Refused(finding(table[value]))
        if "/S" in dictionary and dictionary.raw_get("/S") == "/URI":
            self._check_uri(dictionary, encrypted)

    def _check_uri(self, action, encrypted):
        target = action.raw_get("/URI") if "/URI" in action else None
        try:
            if isinstance(target, generic.IndirectObject):
                target = target.get_object()  # the reader decrypts what it reads
            elif encrypted:
                target = generic.proxy_encrypted_obj(target, self.security_handler).decrypted
        except Exception:
            target = None
        if not isinstance(target, (generic.TextStringObject, generic.ByteStringObject)):
            raise _Refused(finding("uri"))
        text = bytes(target) if isinstance(target, bytes) else str(target).encode()
        if not text.strip().lower().startswith(tuple(s.encode() for s in SAFE_URI_SCHEMES)):
            raise _Refused(finding("uri"))
