"""The password rules at their edges (等保 三级, shenbao/settings.py and security/models.py).

At least 8 characters; at least three of upper case, lower case, digits and symbols, counted over
ASCII only (a full-width Ａ or a Chinese character is none of them); expired one moment after the
maximum age, not at it; and the 安全管理员's ranges for age and history, inclusive at both ends.
"""

import string
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from accounts.passwords import is_expired
from accounts.validators import CharacterClassValidator
from security.models import SecurityPolicy

CLASSES = {
    "upper": string.ascii_uppercase,
    "lower": string.ascii_lowercase,
    "digit": string.digits,
    "symbol": string.punctuation,
}
NOT_ASCII = "ＡＢｃｄ１２！稀土集群éß"  # full-width letters, digits and 感叹号, Chinese, accented Latin


@st.composite
def passwords_of(draw, classes, min_size=1, max_size=30):
    """A password drawing on exactly `classes` (each at least once), shuffled."""
    chars = [draw(st.sampled_from(CLASSES[name])) for name in classes]
    pool = "".join(CLASSES[name] for name in classes)
    extra = max(min_size - len(chars), 0)
    chars += draw(st.lists(st.sampled_from(pool), min_size=extra, max_size=max(extra, max_size - len(chars))))
    return "".join(draw(st.permutations(chars)))


class_sets = st.sets(st.sampled_from(sorted(CLASSES)), min_size=1)


def refusal_codes(password):
    try:
        validate_password(password)
    except ValidationError as exc:
        return {error.code for error in exc.error_list}
    return set()


@given(class_sets.flatmap(lambda classes: st.tuples(st.just(classes), passwords_of(sorted(classes)))))
def test_a_password_is_complex_enough_exactly_when_it_uses_three_classes(drawn):
    classes, password = drawn
    try:
        CharacterClassValidator(3).validate(password)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == (len(classes) >= 3)


@given(
    st.sets(st.sampled_from(sorted(CLASSES)), min_size=2, max_size=2).flatmap(lambda c: passwords_of(sorted(c))),
    st.text(NOT_ASCII, min_size=1),
)
def test_characters_outside_ascii_never_make_up_a_missing_class(password, foreign):
    with pytest.raises(ValidationError):
        CharacterClassValidator(3).validate(password + foreign)


@pytest.mark.django_db
@given(st.integers(min_value=4, max_value=20).flatmap(lambda n: passwords_of(sorted(CLASSES), n, n)))
def test_eight_characters_are_long_enough_and_seven_are_not(password):
    codes = refusal_codes(password)
    assert ("password_too_short" in codes) == (len(password) < 8)
    assert "password_too_simple" not in codes


@pytest.mark.django_db
@given(
    days=st.integers(min_value=30, max_value=180),
    offset=st.integers(min_value=-(10**6), max_value=10**6) | st.sampled_from([-1, 0, 1]),
)
def test_a_password_expires_one_moment_after_its_maximum_age_and_not_at_it(days, offset):
    changed = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
    user = User(password_changed_at=changed)
    with override_settings(SHENBAO_PASSWORD_MAX_AGE_DAYS=days):
        assert is_expired(user, changed + timedelta(days=days, microseconds=offset)) == (offset > 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, value, allowed",
    [
        ("password_max_age_days", 29, False),
        ("password_max_age_days", 30, True),
        ("password_max_age_days", 180, True),
        ("password_max_age_days", 181, False),
        ("password_history", 2, False),
        ("password_history", 3, True),
        ("password_history", 24, True),
        ("password_history", 25, False),
    ],
)
def test_the_security_admin_sets_age_and_history_only_within_the_graded_range(name, value, allowed):
    policy = SecurityPolicy.from_settings()
    setattr(policy, name, value)
    try:
        policy.full_clean(exclude=["updated_by"])
        accepted = True
    except ValidationError as exc:
        assert name in exc.message_dict
        accepted = False
    assert accepted == allowed
