"""The demo's other two calls, made the way calls are made: the 2025 cluster call by copying 2024 and
uploading an edited 字段表, and an enterprise project call (示例) from a schema file an engineer wrote.

Both are published with the 2024 call's window, so one organisation can apply to two calls at once.
"""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from authoring import copying, editing
from authoring.fieldsheet_edits import FieldsheetEdit
from calls.fieldsheet import export_fieldsheet
from calls.models import Call
from calls.schema.loader import parse_source, schema_file

GUIDES = Path(__file__).resolve().parent.parent / "calls" / "guides"
CLUSTER_2025 = "cluster-2025"
EXAMPLE = "tech-upgrade-example-2025"
# 2025 weighs scale and digitalisation more, planning less (2024: 20, 20, 15, 15, 10, 20).
WEIGHTS_2025 = {"scale": 25, "innovation": 20, "digital": 20, "green": 15, "openness": 10, "planning": 10}


def load_demo_calls(department, window_from):
    """Create (once) and publish the 2025 cluster call and the example enterprise call, with the window of
    `window_from`; returns the calls."""
    return [_cluster_2025(department, window_from), _enterprise_example(department, window_from)]


def _cluster_2025(department, source):
    call = Call.objects.filter(code=CLUSTER_2025).first()
    if call is None:
        call = copying.copy_call(source, department, year=source.year + 1, code=CLUSTER_2025)
        edited = edit_2025_form(export_fieldsheet(parse_source(call.revisions.get(number=1).source)))
        upload = SimpleUploadedFile("2025年先进制造业集群申报书字段表.xlsx", edited)
        editing.store_upload(call, upload, department)
    return _published(call, department, source)


def edit_2025_form(content):
    """What the 工信厅 changed for 2025: one field added, one limit changed, the rubric reweighted."""
    sheet = FieldsheetEdit(content)
    sheet.set("字段", "字段代码", "industry_chain", "标签", "集群产业链培育和招商情况（300字以内）")
    sheet.set("字段", "字段代码", "industry_chain", "字数上限", 300)
    sheet.insert_after(
        "字段",
        "字段代码",
        "iiot_ratio",
        {
            "节代码": "digital",
            "字段代码": "diagnosis_ratio",
            "标签": "集群规上企业数字化转型诊断覆盖率（%）",
            "类型": "比例",
            "提示": "已开展数字化转型诊断的规上企业数占集群规上企业总数的比例。",
        },
    )
    for key, weight in {
        "scale": 25,
        "innovation": 20,
        "digital": 20,
        "green": 15,
        "openness": 10,
        "planning": 10,
    }.items():
        sheet.set("评分细则", "代码", key, "分值", weight)
    return sheet.content()


def _enterprise_example(department, window_from):
    call = Call.objects.filter(code=EXAMPLE).first()
    if call is None:
        year = window_from.year + 1
        call = editing.create_call(
            department,
            code=EXAMPLE,
            name=f"{year}年内蒙古自治区工业企业技术改造项目申报（示例）",
            year=year,
            guide_title=f"{year}年内蒙古自治区工业企业技术改造项目申报指南（示例）",
            guide_text=(GUIDES / "enterprise-project-example-guide.txt").read_text(encoding="utf-8").format(year=year),
            source=schema_file("enterprise_project_example"),
            origin="结构文件 calls/schemas/enterprise_project_example.yaml",
            number_prefix="JG",
            is_example=True,
        )
    return _published(call, department, window_from)


def _published(call, department, window_from):
    """`call` open when `window_from` is, its newest revision published."""
    if call.phase() != Call.Phase.OPEN:
        Call.objects.filter(pk=call.pk).update(
            applicant_opens_at=window_from.applicant_opens_at,
            applicant_closes_at=window_from.applicant_closes_at,
            recommend_deadline=window_from.recommend_deadline,
            acceptance_deadline=window_from.acceptance_deadline,
            scoring_deadline=window_from.scoring_deadline,
        )
        call.refresh_from_db()
    newest = call.revisions.order_by("-number").first()
    if call.current_revision_id != newest.pk or not call.is_published:
        editing.publish(newest, department)
        call.refresh_from_db()
    return call
