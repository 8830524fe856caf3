"""The registration-authority code of a 统一社会信用代码 (characters 3–8, GB 32100) against the chosen 盟市."""

import pytest

from regions import registration_authority
from regions.models import Region

pytestmark = pytest.mark.django_db


def code(area):
    """A code registered by the authority of `area`: the check character does not matter here."""
    return f"91{area}MA0000000X"


def region(code):
    return Region.objects.get(code=code)


@pytest.mark.parametrize(
    ("area", "chosen"),
    [
        ("150200", "150200"),  # 包头市 itself
        ("150203", "150200"),  # 昆都仑区, under 包头
        ("150702", "150700"),  # 海拉尔区, under 呼伦贝尔
        ("150781", "150781"),  # 满洲里市 recommends on its own
        ("152501", "152501"),  # 二连浩特市 too
        ("152502", "152500"),  # 锡林浩特市, under 锡林郭勒盟
        ("152921", "152900"),  # 阿拉善左旗
    ],
)
def test_a_code_registered_within_the_chosen_region_gives_no_warning(area, chosen):
    assert registration_authority.mismatch(code(area), region(chosen)) == ""


@pytest.mark.parametrize(
    ("area", "chosen", "expected"),
    [
        ("150100", "150200", "登记机关代码为 150100（呼和浩特市），与所选盟市包头市不一致"),
        ("150105", "150200", "登记机关代码为 150105（呼和浩特市所辖旗县区），与所选盟市包头市不一致"),
        # The county-level cities are their own unit: 呼伦贝尔 is not 满洲里, and the other way round.
        ("150781", "150700", "登记机关代码为 150781（满洲里市），与所选盟市呼伦贝尔市不一致"),
        ("150702", "150781", "登记机关代码为 150702（呼伦贝尔市所辖旗县区），与所选盟市满洲里市不一致"),
        ("150700", "150781", "登记机关代码为 150700（呼伦贝尔市），与所选盟市满洲里市不一致"),
        ("152501", "152500", "登记机关代码为 152501（二连浩特市），与所选盟市锡林郭勒盟不一致"),
        ("152502", "152501", "登记机关代码为 152502（锡林郭勒盟所辖旗县区），与所选盟市二连浩特市不一致"),
        ("150000", "150200", "登记机关代码为 150000（内蒙古自治区本级），与所选盟市包头市不一致"),
        ("110105", "150200", "登记机关代码为 110105（内蒙古自治区以外），与所选盟市包头市不一致"),
        ("151000", "150200", "登记机关代码为 151000（内蒙古自治区内未知地区），与所选盟市包头市不一致"),
    ],
)
def test_a_code_registered_elsewhere_is_named_with_the_chosen_region(area, chosen, expected):
    sentence = registration_authority.mismatch(code(area), region(chosen))
    assert sentence == f"该统一社会信用代码的{expected}，请核实。"


def test_the_example_sentence_of_the_issue():
    assert registration_authority.mismatch("91150100MA0N000001", region("150200")) == (
        "该统一社会信用代码的登记机关代码为 150100（呼和浩特市），与所选盟市包头市不一致，请核实。"
    )


@pytest.mark.parametrize("credit_code", ["", "91", "91ABCDEF00000000X", None])
def test_a_code_without_a_numeric_area_gives_no_warning(credit_code):
    assert registration_authority.mismatch(credit_code, region("150200")) == ""
