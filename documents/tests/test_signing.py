"""The signing material: what load() accepts and refuses (in Chinese), the start-up check, the demo command."""

import asyncio
import concurrent.futures
import io
import stat
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
import weasyprint
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.checks import signing_material
from documents.signing import SigningUnavailable, load, self_signed_certificate, sign_pdf


def write_pair(folder, key, cert, name="signer"):
    (folder / f"{name}-key.pem").write_bytes(key)
    (folder / f"{name}-cert.pem").write_bytes(cert)
    return folder / f"{name}-key.pem", folder / f"{name}-cert.pem"


def use(settings, key, cert, passphrase="", chain=""):
    settings.SHENBAO_SIGNING_KEY = str(key)
    settings.SHENBAO_SIGNING_CERT = str(cert)
    settings.SHENBAO_SIGNING_KEY_PASSPHRASE = passphrase
    settings.SHENBAO_SIGNING_CHAIN = str(chain)


def refusal(settings):
    with pytest.raises(SigningUnavailable) as caught:
        load()
    return str(caught.value)


def test_the_test_certificate_loads_with_its_subject_and_fingerprint(signing):
    loaded = load()
    assert loaded.subject == "CN=shenbao 演示签名证书（仅供演示）,O=内蒙古自治区工业和信息化厅（演示）,C=CN"
    assert loaded.is_demo and len(loaded.fingerprint) == 64 and loaded.chain == []


def test_unset_or_missing_files_say_the_certificate_is_not_configured(settings, tmp_path):
    assert refusal(settings).startswith("签名证书未配置：未设置签名私钥文件（SHENBAO_SIGNING_KEY）")
    use(settings, tmp_path / "none-key.pem", tmp_path / "none-cert.pem")
    message = refusal(settings)
    assert message.startswith("签名证书未配置：找不到签名私钥文件") and "none-key.pem" in message


def test_a_key_protected_by_a_passphrase_needs_the_right_one(settings, tmp_path):
    key_pem, cert_pem = self_signed_certificate("签名测试", "测试单位")
    key = serialization.load_pem_private_key(key_pem, password=None)
    locked = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"Mi-Ma#2024"),
    )
    key_path, cert_path = write_pair(tmp_path, locked, cert_pem)
    use(settings, key_path, cert_path, passphrase="Mi-Ma#2024")
    assert load().subject == "CN=签名测试,O=测试单位,C=CN"
    use(settings, key_path, cert_path, passphrase="wrong")
    assert "口令（SHENBAO_SIGNING_KEY_PASSPHRASE）不对" in refusal(settings)


def test_a_key_that_does_not_match_its_certificate_is_refused(settings, tmp_path):
    key, _ = self_signed_certificate("甲", "测试单位")
    _, cert = self_signed_certificate("乙", "测试单位")
    use(settings, *write_pair(tmp_path, key, cert))
    assert "不匹配" in refusal(settings)


def test_a_certificate_outside_its_validity_is_refused_at_the_boundary(settings, tmp_path):
    issued = datetime(2020, 1, 1, tzinfo=UTC)
    use(settings, *write_pair(tmp_path, *self_signed_certificate("过期", "测试单位", years=1, now=issued)))
    not_after = issued + timedelta(days=365)
    assert load(now=not_after).subject.startswith("CN=过期")  # the last valid second
    with pytest.raises(SigningUnavailable, match="签名证书不在有效期内（2019-12-31 至 2020-12-31）"):
        load(now=not_after + timedelta(seconds=1))


def test_a_chain_file_is_read_and_sent_along(settings, tmp_path):
    key, cert = self_signed_certificate("签名", "测试单位")
    _, intermediate = self_signed_certificate("中间证书", "测试单位")
    (tmp_path / "chain.pem").write_bytes(intermediate)
    use(settings, *write_pair(tmp_path, key, cert), chain=tmp_path / "chain.pem")
    assert [c.subject.rfc4514_string() for c in load().chain] == ["CN=中间证书,O=测试单位,C=CN"]
    (tmp_path / "chain.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    assert "不是有效的 PEM 或 DER 证书" in refusal(settings)


# --- The system check ---


def test_the_check_warns_in_development_and_stops_production(settings):
    (warning,) = signing_material(None)
    assert warning.id == "documents.W001" and not warning.is_serious()
    settings.PRODUCTION = True
    (error,) = signing_material(None)
    assert error.id == "documents.E001" and error.is_serious() and "SHENBAO_SIGNING_KEY" in error.msg


def test_production_refuses_the_demo_certificate_and_accepts_its_own(settings, signing, tmp_path):
    assert signing_material(None) == []  # development: the demo pair is what it is for
    settings.PRODUCTION = True
    (error,) = signing_material(None)
    assert error.id == "documents.E002" and error.is_serious()
    own = self_signed_certificate("内蒙古自治区工业和信息化厅申报平台", "内蒙古自治区工业和信息化厅")
    use(settings, *write_pair(tmp_path, *own))
    assert signing_material(None) == []


def test_a_certificate_expiring_within_30_days_is_warned_of(settings, tmp_path):
    soon = datetime.now(UTC) - timedelta(days=365 - 29)
    use(settings, *write_pair(tmp_path, *self_signed_certificate("将过期", "测试单位", years=1, now=soon)))
    (warning,) = signing_material(None)
    assert warning.id == "documents.W002"


# --- manage.py make_signing_certificate ---


def test_make_signing_certificate_writes_a_private_key_once_and_then_does_nothing(settings, tmp_path):
    use(settings, tmp_path / "signing" / "key.pem", tmp_path / "signing" / "cert.pem")
    out = io.StringIO()
    call_command("make_signing_certificate", stdout=out)
    key, cert = tmp_path / "signing" / "key.pem", tmp_path / "signing" / "cert.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert "已生成演示签名证书（仅供演示）" in out.getvalue() and load().is_demo
    before = (key.read_bytes(), cert.read_bytes())
    again = io.StringIO()
    call_command("make_signing_certificate", stdout=again)
    assert "签名证书已存在" in again.getvalue() and (key.read_bytes(), cert.read_bytes()) == before


def test_make_signing_certificate_refuses_half_a_pair_and_production(settings, tmp_path):
    use(settings, tmp_path / "key.pem", tmp_path / "cert.pem")
    (tmp_path / "key.pem").write_bytes(b"a key kept by someone")
    with pytest.raises(CommandError, match="缺少"):
        call_command("make_signing_certificate", stdout=io.StringIO())
    assert (tmp_path / "key.pem").read_bytes() == b"a key kept by someone" and not (tmp_path / "cert.pem").exists()
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never runs in production"):
        call_command("make_signing_certificate", stdout=io.StringIO())


def test_signing_works_from_a_thread_whose_event_loop_is_running(signing, tmp_path):
    """pyHanko's own sync call would refuse there (asyncio.run in a running loop)."""
    content = weasyprint.HTML(string="<p>正式文件</p>").write_pdf()

    async def caller():
        return sign_pdf(content)

    # A thread of its own, so that the loop running is this test's whatever ran before in this process.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        signed = pool.submit(asyncio.run, caller()).result()
    assert signed.content.startswith(content)  # an incremental update: the rendering is untouched
    (tmp_path / "signed.pdf").write_bytes(signed.content)
    report = subprocess.run(["pdfsig", str(tmp_path / "signed.pdf")], capture_output=True, text=True, check=False)  # noqa: S603, S607
    assert "Signature is Valid." in report.stdout
