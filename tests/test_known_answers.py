"""Known-answer vectors for every hash a person outside the platform may recompute.

A submitted version's content hash, the 验证码 printed from it and the audit log's hash chain are
promises to readers who do not run our code: an auditor recomputing a hash by hand, a verifier typing a
code off a printed page. Comparing the code's output with itself would let a change to the canonical
form pass unnoticed and silently break every hash already printed, so each expected value below is a
literal, computed once outside the project from the rules in docs/documents.md and docs/audit.md
(`printf '%s' '<canonical text>' | sha256sum`), never by calling the code under test.
"""

import hashlib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.models import Version
from applications.submission import canonical_json, content_hash
from audit.chain import GENESIS, canonical, entry_hash, verify
from audit.log import record
from audit.models import AuditEntry, Result
from documents.application_report import footer_text
from documents.record import format_code, normalise_code, record_of
from tests import factories

# --- A version's content hash (applications/submission.py) ---

# What submit() hashes, shaped as it shapes it: the application, its version, when, who, where, the schema
# it answered, the answers in their canonical form (two decimals as typed: 1250.50) and the files' hashes.
PAYLOAD = {
    "application": "JQ2024-150200-001",
    "version": 1,
    "submitted_at": "2024-06-01T10:30:00+08:00",
    "organisation": {"name": "包头稀土新材料产业集群促进会", "credit_code": "91150200MA0N5X7K1U"},
    "lead_region": "150200",
    "schema": {
        "code": "cluster_2024",
        "version": "2024.1",
        "digest": "5d41402abc4b2a76b9719d911017c592ae4e6fd0f4b4e8e8b6b1bdb2d8d0f1a3",
    },
    "data": {
        "participating_regions": ["150500"],
        "output__2021": "1250.50",
        "fund_total": "100.00",
        "cluster_name": "包头稀土新材料产业集群",
    },
    "attachments": [
        {
            "id": 7,
            "slot": "commitment_scan",
            "name": "承诺书.pdf",
            "size": 20480,
            "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        }
    ],
}
# Sorted keys at every depth, no spaces, Chinese kept as UTF-8 (not \\u escapes), lists in their order.
PAYLOAD_CANONICAL = (
    '{"application":"JQ2024-150200-001","attachments":[{"id":7,"name":"承诺书.pdf",'
    '"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":20480,'
    '"slot":"commitment_scan"}],"data":{"cluster_name":"包头稀土新材料产业集群","fund_total":"100.00",'
    '"output__2021":"1250.50","participating_regions":["150500"]},"lead_region":"150200",'
    '"organisation":{"credit_code":"91150200MA0N5X7K1U","name":"包头稀土新材料产业集群促进会"},'
    '"schema":{"code":"cluster_2024","digest":"5d41402abc4b2a76b9719d911017c592ae4e6fd0f4b4e8e8b6b1bdb2d8d0f1a3",'
    '"version":"2024.1"},"submitted_at":"2024-06-01T10:30:00+08:00","version":1}'
)
PAYLOAD_HASH = "57ed305526e33e1e3fc2e0856dce186f1e0c6980d5c981cd670e82e7cea1a3a9"
PAYLOAD_CODE = "57ED-3055-26E3-3E1E"  # the first 16 hex digits, upper case, in groups of four


def test_the_content_hash_of_a_known_payload_is_its_published_value():
    assert canonical_json(PAYLOAD) == PAYLOAD_CANONICAL
    assert content_hash(PAYLOAD) == PAYLOAD_HASH


SMALL = {"version": 1, "data": {"output__2021": "12.50", "cluster_name": "稀土"}}
SMALL_HASH = "4a1e54b8faa8d00e138d9aa865b7ca20fb433cd18f5b1c0a63b7a57ce11d73a8"

# The same record written a little differently, and what each would hash to: any of these creeping into
# canonical_json changes every hash, so none may be what it produces.
NEAR_MISSES = {
    "spaces after separators": (
        '{"data": {"cluster_name": "稀土", "output__2021": "12.50"}, "version": 1}',
        "b03e6ae445af46eb57bc146a798679e549d73d233a166883a85db30663ddf288",
    ),
    "ASCII escapes for Chinese": (
        '{"data":{"cluster_name":"\\u7a00\\u571f","output__2021":"12.50"},"version":1}',
        "0920e2592c8e0594614e504465c95689b3014dcf0b966fb6fec5f0273587a1e8",
    ),
    "keys in insertion order": (
        '{"version":1,"data":{"output__2021":"12.50","cluster_name":"稀土"}}',
        "761ff2e6333f7f4f2b4aae6eae87ea70cba8fc02aed122a955bb4a3fdfaae284",
    ),
    "a decimal without its second place": (
        '{"data":{"cluster_name":"稀土","output__2021":"12.5"},"version":1}',
        "b8d565b002b6c15e15110252eba8801d362cde66318b6d21db0b434566ddd77e",
    ),
}


def test_a_small_record_hashes_to_its_published_value():
    assert canonical_json(SMALL) == '{"data":{"cluster_name":"稀土","output__2021":"12.50"},"version":1}'
    assert content_hash(SMALL) == SMALL_HASH


@pytest.mark.parametrize("variant", NEAR_MISSES)
def test_any_other_way_of_writing_the_record_gives_another_hash(variant):
    text, digest = NEAR_MISSES[variant]
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == digest  # the vector is what a verifier computes
    assert digest != SMALL_HASH
    assert canonical_json(SMALL) != text


def test_an_answer_is_hashed_as_stored_so_its_canonical_form_matters():
    # values.normalise stores 12.5 as 12.50 before anything is frozen; hashing does not normalise again.
    unnormalised = {"version": 1, "data": {"output__2021": "12.5", "cluster_name": "稀土"}}
    assert content_hash(unnormalised) == NEAR_MISSES["a decimal without its second place"][1]


# --- The 验证码 printed on every page of a submitted version (documents/record.py) ---


def test_the_verification_code_is_the_hash_prefix_in_four_groups_of_four():
    assert format_code(PAYLOAD_HASH) == PAYLOAD_CODE


@pytest.mark.parametrize("typed", ["57ED-3055-26E3-3E1E", "57ed305526e33e1e", "57ED 3055 26E3 3E1E"])
def test_a_typed_code_is_read_back_as_the_hash_prefix(typed):
    assert normalise_code(typed) == "57ed305526e33e1e"


@pytest.mark.django_db
def test_a_version_with_the_known_hash_prints_and_verifies_under_the_known_code(client, media):
    app = factories.submitted_application()
    # Versions are frozen against save(); the vector's hash is written underneath, as a restore would.
    Version.objects.filter(application=app).update(content_hash=PAYLOAD_HASH)
    version_record = record_of(app, 1)
    assert version_record.verification_code == PAYLOAD_CODE
    assert footer_text(version_record) == f"申报编号 {app.number} · 第1版 · 验证码 {PAYLOAD_CODE}"
    response = client.get(reverse("verify", args=[PAYLOAD_CODE]))
    assert response.status_code == 200
    assert app.number in response.content.decode() and PAYLOAD_CODE in response.content.decode()


# --- The audit log's hash chain (audit/chain.py) ---

# Hashed over every field but the hash, `at` in UTC to the microsecond, a missing user as null.
FIRST_CANONICAL = (
    '{"action":"login_failed","at":"2024-06-01T08:00:00.000123+00:00","detail":{},"ip":"","object_id":"",'
    '"object_repr":"","object_type":"","prev_hash":"' + "0" * 64 + '","result":"失败","role":"","seq":1,'
    '"user":null,"user_agent":"","username":"不存在的账号"}'
)
FIRST_HASH = "0746405ecbf0205cc7660660cd343b388f8223c388748c922d084347c0a63899"
SECOND_CANONICAL = (
    '{"action":"recommend","at":"2024-06-01T08:05:00.000000+00:00",'
    '"detail":{"from":"submitted","opinion":"同意推荐","to":"recommended"},"ip":"10.0.0.8","object_id":"42",'
    '"object_repr":"JQ2024-150200-001 包头稀土新材料产业集群","object_type":"application",'
    '"prev_hash":"' + FIRST_HASH + '","result":"成功","role":"bureau","seq":2,"user":5,'
    '"user_agent":"Mozilla/5.0","username":"包头审核员"}'
)
SECOND_HASH = "8babddd0c74317c3c46ca3804f61830769df5594584860b8d8fb1d48555721e8"


@pytest.mark.django_db
def test_the_first_entry_of_a_chain_hashes_to_its_published_value(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2024, 6, 1, 8, 0, 0, 123, tzinfo=UTC))
    entry = record("login_failed", username="不存在的账号", result=Result.FAILURE)
    assert (entry.seq, entry.prev_hash) == (1, GENESIS)
    assert canonical(entry) == FIRST_CANONICAL
    assert entry.hash == FIRST_HASH
    assert AuditEntry.objects.get(seq=1).hash == FIRST_HASH  # and so does what the database gives back
    assert verify().tail_hash == FIRST_HASH


def test_the_next_entry_links_to_it_and_is_hashed_in_utc():
    entry = AuditEntry(
        seq=2,
        at=datetime(2024, 6, 1, 16, 5, tzinfo=ZoneInfo("Asia/Shanghai")),  # 08:05 UTC
        user_id=5,
        username="包头审核员",
        role="bureau",
        ip="10.0.0.8",
        user_agent="Mozilla/5.0",
        action="recommend",
        object_type="application",
        object_id="42",
        object_repr="JQ2024-150200-001 包头稀土新材料产业集群",
        result=Result.SUCCESS,
        detail={"to": "recommended", "from": "submitted", "opinion": "同意推荐"},
        prev_hash=FIRST_HASH,
    )
    assert canonical(entry) == SECOND_CANONICAL
    assert entry_hash(entry) == SECOND_HASH
