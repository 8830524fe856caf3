"""python manage.py render_application <id> --format docx|pdf|xlsx --output FILE [--version N] [--document …]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from applications.models import Application, Version
from documents.record import record_of
from documents.rendering import BUILDERS, render


class Command(BaseCommand):
    help = "生成申报书的申请报告或绩效目标表（DOCX/PDF），或整份申报书的 Excel 工作簿。"

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Here --version is the application's version number, replacing Django's own --version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("application", type=int, help="申报书 ID")
        parser.add_argument("--format", choices=["docx", "pdf", "xlsx"], required=True)
        parser.add_argument("--output", required=True, help="输出文件路径")
        parser.add_argument("--version", type=int, help="已提交的版本号；省略时为当前草稿")
        parser.add_argument(
            "--document", choices=sorted(BUILDERS), default="report", help="report=申请报告，performance=绩效目标表"
        )

    def handle(self, *args, **options):
        try:
            application = Application.objects.select_related("call", "organisation", "lead_region").get(
                pk=options["application"]
            )
            record = record_of(application, options["version"])
        except Application.DoesNotExist as exc:
            raise CommandError(f"没有 ID 为 {options['application']} 的申报书。") from exc
        except Version.DoesNotExist as exc:
            raise CommandError(f"申报书 {application.number} 没有第 {options['version']} 版。") from exc
        rendered = render(record, options["document"], options["format"])
        output = Path(options["output"])
        output.write_bytes(rendered.content)
        self.stdout.write(f"{application.number} {record.version_label} → {output}（{len(rendered.content)} 字节）")
