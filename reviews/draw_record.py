"""专家抽取记录: one draw as the document the 经办人 and 监督人 sign — read from the ExpertDraw alone.

Call, 申报编号(s), time, the rules and parameters, the seed and how it ranks, the pool's size, the
experts drawn and the reserves in order, every expert excluded with its reason, how the invitations
went (declined, replaced), and places to sign. The same blocks make the DOCX and the PDF
(documents.content → documents.docx / documents.pdf), so the two never differ.
"""

from dataclasses import dataclass

from django.utils import timezone

from calls import expertise
from documents.content import Cell, Document, Heading, Paragraph, Signatures, Table
from documents.docx import document_docx
from documents.pdf import document_pdf
from reviews import draws

TITLE = "专家抽取记录"


@dataclass(frozen=True)
class Line:
    order: int
    name: str
    affiliation: str
    region: str
    title: str
    fields: str
    outcome: str  # how the invitation went, as of now


def _outcome(reviews):
    """The expert's invitation(s) in this draw, in words: 待答复, 已接受, 已谢绝：理由, 逾期未答复…"""
    if not reviews:
        return "未邀请"
    review = reviews[0]
    if review.is_declined:
        return (
            f"{review.get_status_display()}：{review.decline_reason}"
            if review.decline_reason
            else review.get_status_display()
        )
    if review.awaits_answer:
        return f"待答复（{timezone.localtime(review.respond_by):%m-%d %H:%M} 前）"
    if review.is_recused:
        return "声明利益冲突，已回避"
    return f"已接受（{review.get_status_display()}）"


def lines(draw):
    """(drawn, reserves, excluded): each expert as the snapshot recorded it, with its invitation now."""
    rows = draws.candidates_of(draw)
    reviews: dict[int, list] = {}
    for review in draw.reviews.select_related("application").order_by("application_id"):
        reviews.setdefault(review.expert_id, []).append(review)

    def line(order, expert_id, outcome=None):
        row = rows[expert_id]
        return Line(
            order=order,
            name=row["name"],
            affiliation=row["affiliation"],
            region=row["region_name"] or "区外或自治区本级",
            title=row.get("title", ""),
            fields=expertise.labels(row["fields"]),
            outcome=outcome if outcome is not None else _outcome(reviews.get(expert_id)),
        )

    drawn = [line(i, pk) for i, pk in enumerate(draw.drawn_ids, 1)]
    reserves = [line(i, pk, None if i <= draw.reserves_used else "未启用") for i, pk in enumerate(draw.reserve_ids, 1)]
    excluded = [(line(i, e["id"], ""), e["reason"]) for i, e in enumerate(draw.result["excluded"], 1)]
    return drawn, reserves, excluded


def rules_text(draw):
    rules = draw.rules
    return [
        f"抽取人数 {rules['experts']} 名，备选 {rules['reserves']} 名（按顺序递补）。",
        f"专业领域：{expertise.labels(rules['fields'])}（专家具备其中任一领域即符合）。",
        "回避规则：暂停的专家；已参与本申报评审的专家；工作单位即申报单位的专家；所在盟市为申报单位所在、"
        "牵头或参与盟市的专家；声明与申报单位存在关联的专家；"
        f"在审任务达到 {rules['workload_cap']} 项的专家。",
        f"答复期限：{timezone.localtime(draw.respond_by):%Y年%m月%d日 %H:%M}，逾期未答复视为谢绝。",
        "随机方法：对每名符合条件的专家计算 SHA-256（随机种子 + “:” + 专家编号），按结果从小到大排序，"
        "前若干名为抽取专家，其后为备选专家。随机种子由系统随机生成，抽取后不可更改，可据本记录复核。",
    ]


def _people_table(people, with_outcome=True):
    header = [Cell(t, header=True) for t in ("序号", "姓名", "工作单位", "所在盟市", "职称", "专业领域")]
    if with_outcome:
        header.append(Cell("邀请情况", header=True))
    rows = [header]
    for p in people:
        row = [
            Cell(str(p.order), style="centre"),
            Cell(p.name),
            Cell(p.affiliation),
            Cell(p.region),
            Cell(p.title),
            Cell(p.fields),
        ]
        if with_outcome:
            row.append(Cell(p.outcome))
        rows.append(row)
    if len(rows) == 1:
        rows.append([Cell("无", colspan=len(header), style="centre")])
    widths = (0.6, 1.1, 2.4, 1.2, 1.3, 2.2, 2.0) if with_outcome else (0.6, 1.1, 2.4, 1.2, 1.3, 2.2)
    return Table(rows, header_rows=1, widths=widths)


def document(draw):
    """The 专家抽取记录 as documents.content blocks."""
    apps = list(draw.applications.select_related("organisation").order_by("pk"))
    drawn, reserves, excluded = lines(draw)
    numbers = "、".join(a.number for a in apps)
    when = timezone.localtime(draw.drawn_at)
    doc = Document(
        title=TITLE,
        filename=f"{TITLE}-{draw.pk}",
        footer=f"{TITLE} #{draw.pk} · {numbers} · 随机种子 {draw.seed}",
        verification_code="",  # a record to sign, not an application draft: no 草稿 watermark
    )
    doc.add(Heading(TITLE, 1))
    info = [
        ("申报批次", draw.call.name),
        ("申报编号", numbers),
        ("申报单位", "、".join(a.organisation.name for a in apps)),
        ("抽取时间", f"{when:%Y年%m月%d日 %H:%M:%S}（北京时间）"),
        ("随机种子", draw.seed),
        (
            "专家库人数",
            f"{len(draw.snapshot)} 名，符合条件 {draw.result['eligible']} 名，"
            f"按规则排除 {len(draw.result['excluded'])} 名",
        ),
        ("经办人", draw.drawn_by.full_name),
        ("监督人", draw.supervisor or "（签字）"),
    ]
    doc.add(Table([[Cell(k, header=True, style="label"), Cell(v)] for k, v in info], widths=(1.3, 6)))
    doc.add(Heading("一、抽取规则", 2))
    for text in rules_text(draw):
        doc.add(Paragraph(text, "indent"))
    doc.add(Heading("二、抽取专家（按抽取顺序）", 2), _people_table(drawn))
    doc.add(Heading("三、备选专家（按递补顺序）", 2), _people_table(reserves))
    doc.add(Heading("四、按规则排除的专家", 2))
    rows = [[Cell(t, header=True) for t in ("序号", "姓名", "工作单位", "所在盟市", "排除原因")]]
    rows += [
        [Cell(str(p.order), style="centre"), Cell(p.name), Cell(p.affiliation), Cell(p.region), Cell(reason)]
        for p, reason in excluded
    ] or [[Cell("无", colspan=5, style="centre")]]
    doc.add(Table(rows, header_rows=1, widths=(0.6, 1.1, 2.6, 1.3, 3.2)))
    doc.add(
        Paragraph(
            f"本记录由平台根据抽取时保存的专家库快照、规则和随机种子生成，可在平台上复核（抽取记录 #{draw.pk}）。"
            f"生成时间：{timezone.localtime():%Y年%m月%d日 %H:%M}。",
            "muted",
        )
    )
    doc.add(Signatures(("经办人（签字）：", "监督人（签字）：", "日期：")))
    return doc


def record_docx(draw):
    return document_docx(document(draw))


def record_pdf(draw):
    return document_pdf(document(draw))


def manual_choices(application):
    """Experts chosen by hand for `application`, with the typed reason (shown beside the draws)."""
    return application.expert_reviews.exclude(manual_reason="").filter(draw__isnull=True).select_related("expert")
