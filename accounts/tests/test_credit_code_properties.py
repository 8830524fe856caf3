"""统一社会信用代码 (GB 32100-2015) checked against an implementation written here from the standard.

The project's check (accounts/validators.py) is compared with `reference_check_character`, which
shares none of its code or constants: the alphabet is built from the letters the standard leaves out
and the weights from their definition, Wᵢ = 3^(i−1) mod 31. The standard's design promises that
every single wrong character and every swap of two neighbours among the first seventeen is caught;
the properties below hold the implementation to that promise.
"""

import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from accounts.validators import credit_code_check_character, validate_credit_code

ALPHABET = string.digits + "".join(c for c in string.ascii_uppercase if c not in "IOSVZ")  # 31 characters
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, …, 28


def reference_check_character(first17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]  # 31 − (sum mod 31), where 31 itself is written 0


def reference_is_valid(code: str) -> bool:
    return (
        len(code) == 18
        and all(c in ALPHABET for c in code)
        and code[2:8].isdigit()  # 登记管理机关行政区划码
        and reference_check_character(code[:17]) == code[17]
    )


def error_code(code: str) -> str | None:
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        return exc.error_list[0].code
    return None


def test_the_reference_weights_are_those_printed_in_the_standard():
    assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert len(ALPHABET) == 31


# Real codes as published on 国家企业信用信息公示系统 (the first two are those test_validators.py always had).
PUBLISHED = {
    "91350100M000100Y43": "福州 (福建省), an organisation code with letters",
    "91110000600037341L": "北京",
    "914403001922038216": "华为技术有限公司",
    "91440300708461136T": "深圳市腾讯计算机系统有限公司",
    "91330100716105852F": "阿里巴巴（中国）有限公司",
    "91110108551385082Q": "小米科技有限责任公司",
    "91150100701465425Y": "内蒙古蒙牛乳业（集团）股份有限公司",
}


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_accepted(code):
    assert reference_is_valid(code)  # the reference agrees with the world before it judges anything
    assert error_code(code) is None


# --- Generated codes ---

characters = st.sampled_from(ALPHABET)
bodies = st.builds(
    lambda head, region, tail: head + region + tail,
    st.text(ALPHABET, min_size=2, max_size=2),
    st.text(string.digits, min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
)
valid_codes = bodies.map(lambda body: body + reference_check_character(body))


@given(st.text(ALPHABET, min_size=17, max_size=17))
def test_the_check_character_agrees_with_the_standard_for_any_seventeen_characters(body):
    assert credit_code_check_character(body) == reference_check_character(body)


@given(valid_codes)
def test_every_code_built_by_the_standard_is_accepted(code):
    assert error_code(code) is None


@given(valid_codes, st.integers(min_value=0, max_value=17), characters)
def test_any_single_wrong_character_is_refused(code, position, replacement):
    assume(code[position] != replacement)
    corrupted = code[:position] + replacement + code[position + 1 :]
    assert not reference_is_valid(corrupted)
    expected = "region" if not corrupted[2:8].isdigit() else "check_digit"
    assert error_code(corrupted) == expected


@given(valid_codes, st.integers(min_value=0, max_value=15))
def test_swapping_two_neighbours_among_the_first_seventeen_is_refused(code, position):
    assume(code[position] != code[position + 1])
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert error_code(swapped) is not None


@pytest.mark.parametrize("position", range(2, 8))
def test_a_letter_anywhere_in_the_region_part_is_refused_even_with_a_matching_check_character(position):
    body = "91150200MA0N5X7K1"
    body = body[:position] + "A" + body[position + 1 :]
    assert error_code(body + reference_check_character(body)) == "region"  # 第3至8位: 行政区划代码


@given(valid_codes, st.integers(min_value=0, max_value=17), st.sampled_from("IOSVZ"))
def test_a_letter_the_standard_leaves_out_is_named_wherever_it_stands(code, position, letter):
    corrupted = code[:position] + letter + code[position + 1 :]
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(corrupted)
    assert exc.value.error_list[0].code == "character"
    assert f"第{position + 1}位字符“{letter}”" in exc.value.messages[0]


@given(st.text(ALPHABET, min_size=18, max_size=18))
def test_any_eighteen_characters_are_accepted_exactly_when_the_standard_accepts_them(code):
    assert (error_code(code) is None) == reference_is_valid(code)


@given(valid_codes)
def test_a_code_typed_in_lower_case_full_width_or_with_spaces_is_the_same_code(code):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())  # what a Chinese input method types
    assert error_code(full_width) is None
    assert error_code(f" {code[:9]} {code[9:]} ") is None


@given(valid_codes, st.integers(min_value=0, max_value=17))
def test_a_code_one_character_short_or_long_is_refused_for_its_length(code, position):
    assert error_code(code[:position] + code[position + 1 :]) == "length"
    assert error_code(code + code[position]) == "length"
