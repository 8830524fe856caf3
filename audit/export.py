"""The filtered audit list as an XLSX sheet, through the project's streamed sheet (text stays text)."""

from django.utils import timezone

from audit.log import action_label, detail_label, detail_value, object_type_label
from shenbao.lib.sheets import TITLE_FONT, StreamedSheet

HEADINGS = [
    "序号",
    "时间",
    "用户名",
    "角色",
    "IP 地址",
    "浏览器",
    "操作",
    "对象类型",
    "对象编号",
    "对象",
    "结果",
    "详情",
    "哈希",
]
WIDTHS = [8, 18, 20, 12, 16, 30, 14, 12, 10, 30, 8, 40, 20]


def audit_xlsx(entries, filters_text, *, role_labels):
    """A temporary file holding the sheet, rewound; `entries` is iterated once, row by row. A role code
    reads as its label from `role_labels` (code -> 名称): the roles are accounts', which sits above the log."""
    roles = role_labels
    sheet = StreamedSheet("审计日志", WIDTHS, heading_row=3)
    sheet.banner("审计日志", font=TITLE_FONT)
    sheet.banner(f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}　{filters_text}")
    sheet.headings(HEADINGS)
    places = [0] * len(HEADINGS)
    for e in entries:
        row = [
            e.seq,
            timezone.localtime(e.at).replace(tzinfo=None),
            e.username,
            roles.get(e.role, e.role),
            e.ip,
            e.user_agent,
            action_label(e.action),
            object_type_label(e.object_type),
            int(e.object_id) if e.object_id.isdigit() else e.object_id,
            e.object_repr,
            e.result,
            _detail_text(e.detail),
            e.hash,
        ]
        sheet.values(row, places)
    return sheet.save()


def _detail_text(detail):
    if not isinstance(detail, dict):
        return ""
    return "；".join(f"{detail_label(key)}={detail_value(value, key)}" for key, value in sorted(detail.items()))
