"""`manage.py make_signing_certificate`: a self-signed demo key and certificate for the official PDFs.

Writes SHENBAO_SIGNING_KEY (mode 600) and SHENBAO_SIGNING_CERT when neither exists; does nothing when both
do, so `make run` calls it every time. Refuses in production, which installs a real certificate
(docs/documents.md).
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents import signing


class Command(BaseCommand):
    help = "生成演示用的自签名签名私钥和证书（正式 PDF 的电子签名）；已存在时不做任何事；生产环境拒绝运行。"
    requires_system_checks = []  # it makes what the signing check (documents.W001) asks for

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "make_signing_certificate makes a demo certificate; it never runs in production. "
                "Install the department's certificate and set SHENBAO_SIGNING_KEY / SHENBAO_SIGNING_CERT."
            )
        if not settings.SHENBAO_SIGNING_KEY or not settings.SHENBAO_SIGNING_CERT:
            raise CommandError("SHENBAO_SIGNING_KEY 和 SHENBAO_SIGNING_CERT 不能为空。")
        key, cert = Path(settings.SHENBAO_SIGNING_KEY), Path(settings.SHENBAO_SIGNING_CERT)
        if key.exists() and cert.exists():
            self.stdout.write(f"签名证书已存在：{cert}")
            return
        if key.exists() or cert.exists():
            present, absent = (key, cert) if key.exists() else (cert, key)
            raise CommandError(f"只有 {present}，缺少 {absent}：请删除前者后重新运行，或补上配对的文件。")
        key_pem, cert_pem = signing.demo_certificate()
        for path in (key, cert):
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The key is created private (0600) from the start, never readable by others even for a moment.
        with os.fdopen(os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            handle.write(key_pem)
        cert.write_bytes(cert_pem)
        material = signing.load()
        self.stdout.write(
            f"已生成演示签名证书（仅供演示）：{cert}\n  主体：{material.subject}\n  SHA-256：{material.fingerprint}"
        )
