"""A frozen version as reviewers read it on screen: each section's tables with its cross-check warnings.

The tables are the same blocks the 申请报告 prints (documents.application_report), so a reviewer reads
on screen exactly what is on paper; the warnings are the schema's own checks run on the frozen data.
"""

from dataclasses import dataclass

from calls.schema import validate
from calls.schema.model import PERFORMANCE
from documents import performance_table
from documents.application_report import section_blocks
from documents.record import Record, record_of


@dataclass(frozen=True)
class SectionView:
    key: str
    heading: str
    blocks: list
    warnings: list  # the cross-check messages that concern this section, with their computed values


@dataclass(frozen=True)
class VersionView:
    record: Record
    sections: list

    @property
    def warning_count(self):
        return sum(len(s.warnings) for s in self.sections)

    @property
    def attachments(self):
        return self.record.attachments


def version_view(application, version):
    """The sections of `version` (a Version of `application`) with every warning in place."""
    record = record_of(application, version.number)
    report = validate(record.schema, record.data, record.context)
    sections = [
        SectionView(
            key=section.key,
            heading=section.heading,
            blocks=_blocks(record, section),
            warnings=report.warnings_in(section.key),
        )
        for section in record.schema.sections
    ]
    return VersionView(record, sections)


def _blocks(record, section):
    if section.document == PERFORMANCE:
        # The 绩效目标表 is printed in its own layout (the indicator grid), which section_blocks does not know.
        return [block for block in performance_table.build(record).blocks if block.kind == "table"]
    return section_blocks(record, section)
