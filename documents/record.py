"""What a document is made from: an application's draft or one frozen version, read through its schema.

Every renderer (DOCX, PDF, XLSX) takes a `Record`, so a draft and a submitted version print the same
way, and a version prints exactly what was frozen — never today's draft.
"""

from dataclasses import dataclass, replace

from django.utils import timezone

from applications.models import Application, Version
from applications.records import active_attachments, context_of
from calls.schema import Context, Schema


@dataclass(frozen=True)
class Record:
    application: Application
    schema: Schema
    data: dict
    context: Context
    attachments: list  # [{slot, name, size, sha256}] in slot order
    version: Version | None = None
    preview: bool = False  # a call's sample answers shown before it is published (authoring.preview)

    @property
    def is_draft(self):
        return self.version is None

    @property
    def title(self):
        return self.schema.title_of(self.data)

    @property
    def version_label(self):
        if self.preview:
            return "预览"
        return "草稿" if self.is_draft else f"第{self.version.number}版"

    @property
    def verification_code(self):
        """The short form of the frozen version's hash printed in every footer; drafts have none."""
        return None if self.is_draft else format_code(self.version.content_hash)

    @property
    def submitted_at_text(self):
        when = self.version.submitted_at if self.version else None
        return timezone.localtime(when).strftime("%Y年%m月%d日") if when else "（提交后生成）"


CODE_LENGTH = 16  # hex digits of the SHA-256: 64 bits, shown as four groups of four


def format_code(content_hash):
    code = content_hash[:CODE_LENGTH].upper()
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(text):
    """What was typed or scanned, as the hex prefix to look up; None when it cannot be a code."""
    code = "".join(ch for ch in str(text) if ch not in "- ").lower()
    if len(code) != CODE_LENGTH or any(ch not in "0123456789abcdef" for ch in code):
        return None
    return code


def record_of(application, version_number=None):
    """The draft as it is now, or version `version_number` as it was frozen (Version.DoesNotExist if none).

    A draft is read through the revision it answers now; a version through the revision it pinned,
    never another (calls.models.RevisionMissing when that one is gone).
    """
    if version_number is None:
        files = [
            {"slot": a.slot, "name": a.original_name, "size": a.size, "sha256": a.sha256}
            for a in active_attachments(application).order_by("slot", "pk")
        ]
        return Record(application, application.schema, application.data, context_of(application), files)
    version = application.versions.get(number=version_number)
    version.application = application
    schema = version.schema
    counts = {}
    for item in version.attachments:
        counts[item["slot"]] = counts.get(item["slot"], 0) + 1
    base = context_of(application, submitted_at=version.submitted_at)
    context = replace(base, **version.context, attachments=counts)
    return Record(application, schema, version.data, context, list(version.attachments), version)
