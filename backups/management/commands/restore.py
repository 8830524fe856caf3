from django.core.management.base import BaseCommand, CommandError

from audit.chain import verify
from backups.archive import BackupError, restore


class Command(BaseCommand):
    help = "把备份文件恢复到一个新建、已迁移、没有用户和申报的实例；先校验每个成员的 SHA-256 与迁移状态。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="由 backup 命令写出的 .tar.gz 文件")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = sum(1 for name in manifest["members"] if name.startswith("media/"))
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份：{manifest['rows']} 条记录，{files} 个文件。")
        checked = verify()
        if not checked.ok:
            raise CommandError(checked.summary, returncode=1)
        self.stdout.write(checked.summary)
