"""`manage.py create_call`: a new, unpublished call from a schema file an engineer wrote (YAML), on behalf of
a 自治区工业和信息化厅 account. Officials make new calls by copying an earlier one on the 申报批次 page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from authoring.editing import AuthoringRefused, create_call


class Command(BaseCommand):
    help = "Create an unpublished call from a schema YAML file and a guide text file (audited, as --by)."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="批次代码（网址中使用），如 tech-upgrade-2025")
        parser.add_argument("--name", required=True, help="批次名称")
        parser.add_argument("--year", required=True, type=int, help="申报年度")
        parser.add_argument("--schema", required=True, type=Path, help="申报书结构文件（YAML）")
        parser.add_argument("--guide", required=True, type=Path, help="申报指南全文（UTF-8 文本，可用 {year} 占位）")
        parser.add_argument("--guide-title", required=True, help="申报指南标题")
        parser.add_argument("--by", required=True, help="以哪个自治区工业和信息化厅账号的名义创建（记入审计日志）")
        parser.add_argument("--prefix", default="", help="申报编号前缀（可选）")
        parser.add_argument("--example", action="store_true", help="标为示例批次")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["by"], role=Role.DEPARTMENT, is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的自治区工业和信息化厅账号 {options['by']}。")
        try:
            source = options["schema"].read_text(encoding="utf-8")
            guide = options["guide"].read_text(encoding="utf-8").replace("{year}", str(options["year"]))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        try:
            call = create_call(
                user,
                code=options["code"],
                name=options["name"],
                year=options["year"],
                guide_title=options["guide_title"],
                guide_text=guide,
                source=source,
                origin=f"结构文件 {options['schema'].name}",
                number_prefix=options["prefix"],
                is_example=options["example"],
            )
        except AuthoringRefused as exc:
            raise CommandError("；".join(exc.problems)) from exc
        self.stdout.write(f"已创建未发布的批次 {call.code}（{call.name}），申报书结构第 1 版。")
