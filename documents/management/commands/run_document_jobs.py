"""`manage.py run_document_jobs`: the worker that makes queued documents (documents/jobs.py) and the
official PDFs of submitted versions (documents/official.py).

Run one or more per deployment, next to the web processes (`make run` starts one beside runserver).
SIGTERM or Ctrl+C lets the job in hand finish first.
"""

import signal
import threading

from django.core.management.base import BaseCommand

from documents import jobs


class Command(BaseCommand):
    help = "生成排队中的文档（汇总表 PDF 等）和已提交版本的正式 PDF；可在多台服务器上各运行一个或多个。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理完当前排队的任务后退出")
        parser.add_argument("--poll", type=float, default=1.0, help="无任务时的轮询间隔（秒）")

    def handle(self, *args, once=False, poll=1.0, **options):
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
        if not once:
            self.stdout.write("文档生成进程已启动，等待任务…")
        ran = jobs.work(stop=stop, poll=poll, once=once)
        self.stdout.write(f"文档生成进程退出，共处理 {ran} 个任务。")
