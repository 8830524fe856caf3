"""Fixtures for the authoring tests: the 2024 call's 字段表 edited as an official would, and uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from authoring.fieldsheet_edits import FieldsheetEdit
from calls.fieldsheet import export_fieldsheet
from calls.schema.loader import parse_source

LABEL_2024 = "集群占地面积（平方公里）"
NEW_LABEL = "集群规划占地面积（平方公里）"


def fieldsheet_of(revision):
    return export_fieldsheet(parse_source(revision.source))


def edited(revision, *edits):
    """The revision's 字段表 with `edits` (functions of a FieldsheetEdit) applied, as uploaded bytes."""
    sheet = FieldsheetEdit(fieldsheet_of(revision))
    for edit in edits:
        edit(sheet)
    return sheet.content()


def relabel_area(sheet):
    sheet.set("字段", "字段代码", "area", "标签", NEW_LABEL)


def tighten_industry_chain(sheet):
    """集群产业链培育和招商情况: 200 字 → 20 字, so a sample answer no longer fits."""
    sheet.set("字段", "字段代码", "industry_chain", "字数上限", 20)


def xlsx(content, name="字段表.xlsx"):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def revision_2024(call):
    return call.current_revision
