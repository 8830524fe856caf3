"""Fixtures for the scale-out tests: files on an S3-compatible endpoint, cache and sessions in Redis."""

import pytest

from tests.scaleout.services import redis_server, s3_endpoint


@pytest.fixture
def s3(settings):
    """This process keeps its files in a fresh bucket on moto's S3 server, as SHENBAO_STORAGE=s3 would."""
    with s3_endpoint() as endpoint:
        settings.STORAGES = {**settings.STORAGES, "default": endpoint.storage()}
        yield endpoint


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path) as url:
        yield url
