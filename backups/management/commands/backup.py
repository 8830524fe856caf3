from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, write


class Command(BaseCommand):
    help = "把数据库和全部附件写入一个带 SHA-256 校验清单的备份文件（.tar.gz），在一个读事务内完成。"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="备份文件路径，如 shenbao-20240601.tar.gz")

    def handle(self, *args, output, **options):
        try:
            manifest = write(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = sum(1 for name in manifest["members"] if name.startswith("media/"))
        self.stdout.write(f"已写入 {output}：{manifest['rows']} 条记录，{files} 个文件。")
