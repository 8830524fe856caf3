import pytest

from accounts.models import Role
from tests import factories


@pytest.fixture
def auditor(db):
    return factories.user(Role.AUDIT_ADMIN, full_name="审计员")
