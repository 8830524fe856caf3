"""评审组: the experts of one draw (reviews/draws.py) reviewing its applications, led by a 组长 chosen among
those who accepted. The group's combined score sheet and the 专家评审意见汇总 — every expert's scores,
comments and opinion on every application of the group — are for the 自治区工信厅 and the 组长 only
(accounts.scoping.draws_for), as DOCX and PDF from the same blocks.
"""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import scoping
from accounts.models import User
from audit.log import record
from documents.content import Cell, Document, Heading, Paragraph, Signatures, Table
from documents.docx import document_docx
from documents.pdf import document_pdf
from notifications.models import Event
from notifications.service import notify
from reviews import scoresheet
from reviews.models import ExpertDraw, ExpertReview

TITLE = "专家评审意见汇总"


class GroupRefused(Exception):
    """Why the 组长 cannot be set."""


def members(draw):
    """The group's experts who accepted (declared no conflict), in order of invitation."""
    ids = (
        draw.reviews.filter(status__in=ExpertReview.Status.readable())
        .order_by("assigned_at", "pk")
        .values_list("expert_id", flat=True)
    )
    seen = list(dict.fromkeys(ids))
    by_pk = User.objects.in_bulk(seen)
    return [by_pk[pk] for pk in seen]


def set_leader(draw, user, expert_id):
    """指定组长: the 自治区 picks one of the group's accepted experts; audited, and the 组长 is told."""
    if not scoping.may_manage_expert_pool(user):
        raise GroupRefused("只有自治区工业和信息化厅可以指定评审组组长。")
    with transaction.atomic():
        draw = ExpertDraw.objects.select_for_update().get(pk=draw.pk)
        leader = next((e for e in members(draw) if e.pk == expert_id), None)
        if leader is None:
            raise GroupRefused("组长须是本评审组已接受邀请的专家。")
        previous = draw.leader_id
        draw.leader = leader
        draw.save(update_fields=["leader"])
        record("group_leader", user=user, obj=draw, detail={"expert": leader.username, "changed": previous is not None})
        notify(
            [leader],
            Event.ASSIGNED,
            "您被指定为评审组组长",
            f"您是专家抽取记录 #{draw.pk} 评审组的组长，可查看本组的评分汇总和专家评审意见汇总。",
            reverse("reviews:group", args=[draw.pk]),
        )
        return draw


@dataclass(frozen=True)
class GroupSheet:
    draw: ExpertDraw
    sheets: list  # reviews.scoresheet.ScoreSheet per application
    experts: list  # names, the columns of the combined sheet
    rows: list  # (sheet, [total or None per expert])
    generated_at: str


def build(draw, now=None):
    apps = list(draw.applications.select_related("organisation", "lead_region", "call").order_by("pk"))
    sheets = [scoresheet.build(app, now) for app in apps]
    names = list(dict.fromkeys(line.name for sheet in sheets for line in sheet.scored))
    rows = []
    for sheet in sheets:
        totals = {line.name: line.total for line in sheet.scored}
        rows.append((sheet, [totals.get(name) for name in names]))
    stamp = timezone.localtime(now or timezone.now())
    return GroupSheet(draw=draw, sheets=sheets, experts=names, rows=rows, generated_at=f"{stamp:%Y年%m月%d日 %H:%M}")


def _number(value):
    return "" if value is None else f"{value}"


def document(group):
    """The combined score sheet, then each application's experts with their scores, comments and opinions."""
    draw = group.draw
    doc = Document(
        title=TITLE,
        filename=f"{TITLE}-{draw.pk}",
        footer=f"{TITLE} · 评审组（专家抽取记录 #{draw.pk}） · 生成时间 {group.generated_at}",
        verification_code="",  # a record to sign, not a draft
    )
    doc.add(Heading(TITLE, 1))
    leader = draw.leader.full_name if draw.leader else "（未指定）"
    doc.add(Paragraph(f"申报批次：{draw.call.name}　评审组组长：{leader}", "centre"))
    doc.add(Heading("一、评审组评分汇总", 2))
    header = [Cell(t, header=True) for t in ("申报编号", "名称", *group.experts, "最终得分")]
    rows = [header]
    for sheet, totals in group.rows:
        rows.append(
            [Cell(sheet.number), Cell(sheet.name)]
            + [Cell(_number(t), style="num") for t in totals]
            + [Cell(_number(sheet.result.mean), style="num")]
        )
    doc.add(Table(rows, header_rows=1, widths=(1.6, 2.4, *[1] * len(group.experts), 1.1)))
    doc.add(Paragraph("最终得分按平台规则计算：五名及以上专家评分时去掉一个最高分和一个最低分后取平均分。", "muted"))
    doc.add(Heading("二、各申报专家评审意见", 2))
    for sheet in group.sheets:
        doc.add(Heading(f"{sheet.number}　{sheet.name}（{sheet.organisation}）", 3))
        header = [Cell("专家", header=True), *[Cell(d.title, header=True) for d in sheet.dimensions]]
        header.append(Cell("总分", header=True))
        table = [header]
        for line in sheet.scored:
            table.append(
                [Cell(line.name)]
                + [Cell(_number(s), style="num") for s in line.scores]
                + [Cell(_number(line.total), style="num")]
            )
        if len(table) == 1:
            table.append([Cell("尚无专家提交评分。", colspan=len(header), style="centre")])
        doc.add(Table(table, header_rows=1, widths=(1.2, *[1] * len(sheet.dimensions), 0.8)))
        for line in sheet.scored:
            doc.add(Paragraph(f"{line.name}　总体意见：{line.opinion}"))
            for title, comment in line.comments:
                doc.add(Paragraph(f"{title}：{comment}", "indent"))
        doc.add(Paragraph(sheet.aggregation_note, "muted"))
    doc.add(Signatures(("评审组组长（签字）：", "日期：")))
    return doc


def opinions_pdf(group):
    return document_pdf(document(group))


def opinions_docx(group):
    return document_docx(document(group))
