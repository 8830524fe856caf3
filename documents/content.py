"""The neutral shape of a document: headings, paragraphs, tables and page breaks.

Builders (documents/application_report.py, documents/performance_table.py) turn a record into these
blocks once; the DOCX and PDF renderers lay the same blocks out, so both formats always carry the
same words and figures.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

CHECKED, UNCHECKED = "☑", "☐"


@dataclass(frozen=True)
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    style: str = ""  # "label", "num" (right-aligned figures), "centre", "long" (keeps line breaks),
    # "code" (hex digits in a small monospace that may break anywhere)


@dataclass
class Table:
    kind: ClassVar[str] = "table"
    rows: list  # [[Cell, ...], ...]; spans as in HTML
    header_rows: int = 0  # repeated at the top of every page the table runs onto
    widths: tuple = ()  # relative column widths

    @property
    def columns(self):
        first = self.rows[0] if self.rows else []
        return sum(c.colspan for c in first)

    @property
    def percent_widths(self):
        total = sum(self.widths) or 1
        return [round(100 * w / total, 2) for w in self.widths]


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    style: str = ""  # "indent", "muted", "centre", "right"


@dataclass(frozen=True)
class PageBreak:
    kind: ClassVar[str] = "pagebreak"
    pass


@dataclass(frozen=True)
class Cover:
    kind: ClassVar[str] = "cover"
    title_lines: tuple
    items: tuple  # ((label, value), ...)


@dataclass(frozen=True)
class Signatures:
    kind: ClassVar[str] = "signatures"
    lines: tuple  # ("法定代表人（签字）：", ...)


@dataclass(frozen=True)
class Spine:
    """The 书脊 strip (guide rule 8): 申报单位 and 项目名称 down the spine of the bound report."""

    kind: ClassVar[str] = "spine"
    organisation: str
    project: str


@dataclass
class Document:
    title: str
    filename: str
    blocks: list = field(default_factory=list)
    footer: str = ""
    verification_code: str | None = None  # None: a draft, watermarked 草稿 and without a code
    verify_url: str = ""
    landscape: bool = False
    watermark: str = "草稿"  # across every page of a document without a code; 预览 for a call's preview
    created: datetime | None = None  # what the file's properties give as made: a version's submission; None: now

    @property
    def subject(self):
        """The file's Subject property: what the footer says of it (申报编号 · 第1版 · 验证码), else its title."""
        return self.footer or self.title

    @property
    def has_cover(self):
        """Whether the first page is a cover, which the PDF leaves without a page number."""
        return bool(self.blocks) and self.blocks[0].kind == "cover"

    @property
    def is_draft(self):
        return self.verification_code is None

    def add(self, *blocks):
        self.blocks.extend(blocks)


def grid(table):
    """Place spanned cells on a grid: [(row, col, cell)] for the cells that start somewhere."""
    taken = set()
    placed = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed


def checkboxes(choices, chosen):
    """The guide's □是 □否 boxes, ticked: ☑是 ☐否; long choices one per line."""
    separator = "\n" if any(len(label) > 8 for _, label in choices) else "    "
    return separator.join(f"{CHECKED if value == chosen else UNCHECKED}{label}" for value, label in choices)
