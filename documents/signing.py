"""The PAdES signature on every official PDF (documents/official.py), and the key and certificate it uses.

The key and certificate are PEM files named by settings (SHENBAO_SIGNING_KEY, SHENBAO_SIGNING_CERT, with an
optional SHENBAO_SIGNING_KEY_PASSPHRASE and SHENBAO_SIGNING_CHAIN of intermediate certificates). Signing
never touches the network: no timestamp authority, no OCSP or CRL fetch. The signature is PAdES baseline B
(ETSI.CAdES.detached, SHA-256) in an invisible field, so the pages look exactly as rendered.

`load()` reads and checks the material; the worker calls it before it renders anything, and the system
check (documents/checks.py) calls it at start-up. Every refusal is a `SigningUnavailable` whose message,
in Chinese, is what the 自治区 reads on the failed document.
"""

import asyncio
import concurrent.futures
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

FIELD_NAME = "ShenbaoOfficialSignature"
REASON = "内蒙古自治区工业和信息化厅申报平台：正式申报材料"
LOCATION = "内蒙古自治区呼和浩特市"
# The demo certificate's organisation (manage.py make_signing_certificate): refused in production.
DEMO_MARK = "（演示）"
NOT_CONFIGURED = "签名证书未配置"


class SigningUnavailable(Exception):
    """The signing material cannot be used; the message says why, in Chinese, for the 自治区."""


@dataclass(frozen=True)
class Material:
    key: object  # a cryptography private key
    certificate: x509.Certificate
    chain: list  # intermediate certificates, sent along in the signature
    subject: str  # RFC 4514, as shown to the 自治区
    fingerprint: str  # SHA-256 of the certificate's DER, hex
    is_demo: bool


@dataclass(frozen=True)
class Signed:
    content: bytes
    subject: str
    fingerprint: str


def _read(setting, what):
    """The bytes of the file named by `setting`; SigningUnavailable when it is unset, absent or unreadable."""
    path = getattr(settings, setting)
    if not path:
        raise SigningUnavailable(
            f"{NOT_CONFIGURED}：未设置{what}文件（{setting}）。正式文件未生成，请安装签名证书后重新生成。"
        )
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise SigningUnavailable(
            f"{NOT_CONFIGURED}：找不到{what}文件 {path}（{setting}）。正式文件未生成，请安装签名证书后重新生成。"
        ) from None
    except OSError as exc:
        raise SigningUnavailable(f"{what}文件 {path} 无法读取（{exc.strerror}），正式文件未生成。") from None


def _certificates(data, path):
    """Every certificate in a PEM (or DER) file, in order."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise SigningUnavailable(f"证书文件 {path} 不是有效的 PEM 或 DER 证书，正式文件未生成。") from None


def _public_der(public_key):
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def load(now=None):
    """The configured key, certificate and chain, checked together; SigningUnavailable saying what is wrong."""
    key_path, cert_path = settings.SHENBAO_SIGNING_KEY, settings.SHENBAO_SIGNING_CERT
    key_data, cert_data = _read("SHENBAO_SIGNING_KEY", "签名私钥"), _read("SHENBAO_SIGNING_CERT", "签名证书")
    passphrase = settings.SHENBAO_SIGNING_KEY_PASSPHRASE.encode() or None
    try:
        if b"-----BEGIN" in key_data:
            key = serialization.load_pem_private_key(key_data, password=passphrase)
        else:
            key = serialization.load_der_private_key(key_data, password=passphrase)
    except (TypeError, ValueError):
        raise SigningUnavailable(
            f"签名私钥 {key_path} 无法解析，或口令（SHENBAO_SIGNING_KEY_PASSPHRASE）不对，正式文件未生成。"
        ) from None
    certificate, *extra = _certificates(cert_data, cert_path)
    if _public_der(key.public_key()) != _public_der(certificate.public_key()):
        raise SigningUnavailable(f"签名私钥 {key_path} 与证书 {cert_path} 不匹配，正式文件未生成。")
    now = now or datetime.now(UTC)
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise SigningUnavailable(
            f"签名证书不在有效期内（{certificate.not_valid_before_utc:%Y-%m-%d} 至 "
            f"{certificate.not_valid_after_utc:%Y-%m-%d}），正式文件未生成，请更换证书。"
        )
    chain = extra
    if settings.SHENBAO_SIGNING_CHAIN:
        chain += _certificates(_read("SHENBAO_SIGNING_CHAIN", "证书链"), settings.SHENBAO_SIGNING_CHAIN)
    subject = certificate.subject.rfc4514_string()
    return Material(
        key=key,
        certificate=certificate,
        chain=chain,
        subject=subject,
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        is_demo=DEMO_MARK in subject,
    )


def _signer(material):
    # pyHanko (with aiohttp under it) takes most of a second to import: only the worker that signs pays it,
    # not every web process and management command that loads this module for the system check.
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    registry = SimpleCertificateStore()
    registry.register_multiple([asn1_x509.Certificate.load(c.public_bytes(der)) for c in material.chain])
    pkcs8 = material.key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(material.certificate.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(pkcs8),
        cert_registry=registry,
    )


def sign_pdf(content, material=None):
    """`content` (PDF bytes) with a PAdES baseline signature appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    material = material or load()
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=REASON,
        location=LOCATION,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    signer = signers.PdfSigner(meta, signer=_signer(material))
    output = _run(lambda: signer.async_sign_pdf(writer))
    return Signed(output.getvalue(), material.subject, material.fingerprint)


def _run(make_coroutine):
    """pyHanko signs in asyncio. Its sync wrapper calls asyncio.run(), which refuses in a thread whose event
    loop is running (an async caller, a test driving a browser); there the signing gets a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def demo_certificate(years=3, now=None):
    """The demo pair `manage.py make_signing_certificate` writes (PEM bytes of key and certificate)."""
    return self_signed_certificate(
        "shenbao 演示签名证书（仅供演示）", f"内蒙古自治区工业和信息化厅{DEMO_MARK}", years=years, now=now
    )


def self_signed_certificate(common_name, organisation, years=3, now=None):
    """A new RSA key and a self-signed certificate for document signing, as PEM bytes (key, certificate)."""
    now = now or datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: what a document signature asserts
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)
