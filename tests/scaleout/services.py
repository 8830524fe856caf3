"""The shared services of a scaled-out deployment, started on loopback for tests: S3 (moto) and Redis.

`s3_endpoint()` runs moto's S3-compatible server in a thread, with one empty private bucket, and says how
to reach it — as environment variables for an app server process, or as a STORAGES entry for this one.
`redis_server()` runs a private redis-server (Debian's) on a free port, keeping nothing on disk, so no
test shares a Redis with anything else on the machine.

Both run while other test processes (pytest-xdist workers, other checkouts) start servers of their own,
so neither may trust a port found free a moment earlier: moto binds port 0 and reports the port the
kernel gave it, and a redis-server that lost its port to someone else is started again on another.
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

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        s3 = S3(endpoint=f"http://{host}:{port}", bucket=f"shenbao-{uuid.uuid4().hex[:12]}")
        s3.client().create_bucket(Bucket=s3.bucket)
        yield s3
    finally:
        server.stop()


@contextlib.contextmanager
def redis_server(workdir):
    """A private Redis: yields its redis:// URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not shutil.which(binary):
        pytest.fail("这些测试需要 Debian 的 redis-server：apt-get install redis-server")
    for _attempt in range(5):
        process, port = _start_redis(binary, workdir)
        if process is not None:
            break
    else:
        pytest.fail("redis-server 五次都没抢到空闲端口")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _start_redis(binary, workdir):
    """(process, port) once this server answers; (None, port) if another process took the port first."""
    import redis

    port = free_port()
    log = workdir / f"redis-{port}.log"
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(  # noqa: S603  (a fixed command line)
        [*command, "--dir", str(workdir), "--logfile", str(log)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 20
    try:
        while True:
            try:
                # Another worker's Redis may hold the port and answer in its place; only ours has this pid.
                if client.info("server")["process_id"] == process.pid:
                    return process, port
                process.kill()
                process.wait(timeout=30)
                return None, port
            except redis.ConnectionError:
                if process.poll() is not None:
                    output = log.read_text(errors="replace") if log.exists() else ""
                    if "Address already in use" in output:
                        return None, port
                    pytest.fail(f"redis-server 未能在端口 {port} 启动：\n{output[-2000:]}")
                if time.monotonic() > deadline:
                    process.kill()
                    process.wait(timeout=30)
                    pytest.fail(f"redis-server 在端口 {port} 上 20 秒没有应答")
                time.sleep(0.1)
    finally:
        client.close()
