"""Reliability tests work on committed data that other connections (server threads, child processes) can see."""

import pytest
from django.db import connection

from tests import factories


@pytest.fixture
def committed(transactional_db, reference_rows):
    """Real commits on a database other connections can open: a file on SQLite, the test database on PostgreSQL.

    A transactional test ends with a flush, which also wipes the rows the data migrations made; they
    are put back here first.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.fail("这些测试需要文件型 SQLite 测试库（settings DATABASES TEST NAME），内存库只有一个连接。")
    factories.put_back(reference_rows)
