from datetime import date

from django.core.management.base import BaseCommand, CommandError

from audit.chain import PruneRefused, prune


class Command(BaseCommand):
    help = "删除某日期之前的审计记录（不得少于保留期），并写入检查点使哈希链仍可校验。"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="YYYY-MM-DD：删除此日零时（北京时间）之前的记录")

    def handle(self, *args, before, **options):
        try:
            cutoff = date.fromisoformat(before)
        except ValueError:
            raise CommandError(f"--before 须为 YYYY-MM-DD 格式的日期，而不是 {before!r}。") from None
        try:
            checkpoint = prune(cutoff)
        except PruneRefused as refused:
            raise CommandError(str(refused)) from None
        if checkpoint is None:
            self.stdout.write(f"{cutoff:%Y-%m-%d} 之前没有审计记录，未做任何删除。")
            return
        detail = checkpoint.detail
        self.stdout.write(
            f"已删除 {detail['deleted']} 条（至第 {detail['through_seq']} 条），"
            f"检查点为第 {checkpoint.seq} 条，链首衔接哈希 {detail['through_hash']}。"
        )
