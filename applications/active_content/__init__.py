"""Active content in uploaded files: what a reviewer's PDF reader or Office would run, open or fetch.

`pdf.inspect_pdf` and `office.inspect_package` look at a file that is already known to be a PDF or a
Word/Excel package (applications/attachments.py recognises it by content first) and say what, if anything,
makes it unacceptable. They do not replace a virus scanner (docs/security.md, 上传文件的内容检查).
"""

from typing import NamedTuple


class Finding(NamedTuple):
    """Why a file is refused: what was found, in the applicant's words, and what to do about it."""

    found: str
    advice: str

    def message(self, name: str) -> str:
        return f"“{name}”{self.found}。{self.advice}"
