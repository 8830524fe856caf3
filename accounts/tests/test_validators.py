import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.validators import (
    CharacterClassValidator,
    credit_code_check_character,
    normalise_credit_code,
    validate_credit_code,
    validate_mobile,
)


def message_of(exc_info):
    return exc_info.value.messages[0]


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_published_credit_codes_are_valid(code):
    validate_credit_code(code)


def test_check_character_matches_gb_32100_for_known_codes():
    assert credit_code_check_character("91350100M000100Y4") == "3"
    assert credit_code_check_character("91110000600037341") == "L"


def test_wrong_check_digit_is_refused_with_a_check_digit_message():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y44")
    assert exc.value.error_list[0].code == "check_digit"
    assert "校验码" in message_of(exc)


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_forbidden_letters_are_named_with_their_position(letter):
    code = "91350100M000100Y43"
    bad = code[:10] + letter + code[11:]
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(bad)
    assert f"第11位字符“{letter}”" in message_of(exc)
    assert "I、O、S、V、Z" in message_of(exc)


def test_punctuation_is_named_as_an_invalid_character():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y4#")
    assert "第18位字符“#”" in message_of(exc)


@pytest.mark.parametrize("code, length", [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("", 0)])
def test_wrong_length_says_how_many_characters_were_typed(code, length):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert message_of(exc) == f"统一社会信用代码应为18位，您输入了{length}位。"


def test_region_part_must_be_digits():
    first17 = "9135A100M000100Y4"
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(first17 + credit_code_check_character(first17))
    assert "行政区划代码" in message_of(exc)


def test_full_width_and_lower_case_input_is_normalised():
    assert normalise_credit_code(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    validate_credit_code("91350100m000100y43")


@pytest.mark.parametrize("mobile", ["13912345678", "19800000000"])
def test_mainland_mobile_numbers_are_accepted(mobile):
    validate_mobile(mobile)


@pytest.mark.parametrize("mobile", ["12912345678", "1391234567", "139123456789", "0471-1234567", ""])
def test_other_numbers_are_refused(mobile):
    with pytest.raises(ValidationError, match="11位手机号码"):
        validate_mobile(mobile)


@pytest.mark.parametrize("password", ["Abcdefg1", "abcdefg1!", "ABCDEFG1!", "Abcdefg!"])
def test_three_of_four_character_classes_pass(password):
    CharacterClassValidator(3).validate(password)


@pytest.mark.parametrize("password", ["abcdefgh1", "ABCDEFGH!", "12345678!", "Abcdefghij"])
def test_two_character_classes_are_refused(password):
    with pytest.raises(ValidationError) as exc:
        CharacterClassValidator(3).validate(password)
    assert "至少3类" in message_of(exc)


@pytest.mark.django_db
def test_password_policy_in_settings_refuses_short_and_simple_passwords():
    with pytest.raises(ValidationError) as exc:
        validate_password("Ab1!")
    assert any("8" in m for m in exc.value.messages)
    with pytest.raises(ValidationError):
        validate_password("abcdefghij")
    validate_password("Nmg#Cluster2024")
