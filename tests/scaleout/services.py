"""The shared services of a scaled-out deployment, started on loopback for tests: S3 (moto) and Redis.

`s3_endpoint()` runs moto's S3-compatible server in a thread, with one empty private bucket, and says how
to reach it — as environment variables for an app server process, or as a STORAGES entry for this one.
`redis_server()` runs a private redis-server (Debian's) on a free port, keeping nothing on disk, so no
test shares a Redis with anything else on the machine.
"""

import contextlib
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass

import pytest


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class S3:
    endpoint: str
    bucket: str
    region: str = "us-east-1"
    access_key: str = "shenbao-test"
    secret_key: str = "shenbao-test-secret"  # moto accepts any key; nothing real is ever used

    def env(self):
        """What an app server's environment sets to keep its files in this bucket (docs/deployment.md)."""
        return {
            "SHENBAO_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": self.region,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
        }

    def storage(self):
        """The STORAGES["default"] entry the settings make from env(), for this test process."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.bucket,
                "endpoint_url": self.endpoint,
                "region_name": self.region,
                "access_key": self.access_key,
                "secret_key": self.secret_key,
                "signature_version": "s3v4",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
                "max_memory_size": 5 * 1024 * 1024,
            },
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def keys(self):
        """Every object key in the bucket."""
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", ()))

    def read(self, key):
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()


@contextlib.contextmanager
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        s3 = S3(endpoint=f"http://127.0.0.1:{port}", bucket=f"shenbao-{uuid.uuid4().hex[:12]}")
        s3.client().create_bucket(Bucket=s3.bucket)
        yield s3
    finally:
        server.stop()


@contextlib.contextmanager
def redis_server(workdir):
    """A private Redis: yields its redis:// URL."""
    import redis

    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not shutil.which(binary):
        pytest.fail("这些测试需要 Debian 的 redis-server：apt-get install redis-server")
    port = free_port()
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(  # noqa: S603  (a fixed command line)
        [*command, "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server 未能在端口 {port} 启动")
                time.sleep(0.1)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=30)
