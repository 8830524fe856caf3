"""Copying a call moves the years its texts write out, and nothing that is not this call's calendar."""

import pytest

from calls.years import shift_years


@pytest.mark.parametrize(
    ("text", "shifted", "moved"),
    [
        ("2024年内蒙古自治区先进制造业集群申报指南", "2025年内蒙古自治区先进制造业集群申报指南", 1),
        ("认定日期 2024-05-20，截至2023年底", "认定日期 2025-05-20，截至2024年底", 2),
        ("能源和资源综合利用工作情况（2023）", "能源和资源综合利用工作情况（2024）", 1),
        ("2024—2026年发展目标", "2025—2027年发展目标", 2),
        ("2024/05/20", "2025/05/20", 1),
        # A document number's year names a document that exists: it stays.
        ("财税〔2015〕119号", "财税〔2015〕119号", 0),
        ("内工信产业字〔2024〕156号", "内工信产业字〔2024〕156号", 0),
        ("工信部规[2024]88号", "工信部规[2024]88号", 0),
        # A standard's year and a telephone number are not years of the call.
        ("GB/T 22239-2019", "GB/T 22239-2019", 0),
        ("GB/T 22239—2019", "GB/T 22239—2019", 0),
        ("电话 0471-2024", "电话 0471-2024", 0),
        # Years far from the call's, and longer numbers, stay.
        ("2050年远景目标", "2050年远景目标", 0),
        ("编号 120245", "编号 120245", 0),
    ],
)
def test_years_near_the_call_move_and_others_stay(text, shifted, moved):
    assert shift_years(text, 1, 2024) == (shifted, moved)


def test_the_nearness_window_is_six_years_either_side():
    assert shift_years("2018年、2030年", 1, 2024) == ("2019年、2031年", 2)
    assert shift_years("2017年、2031年", 1, 2024) == ("2017年、2031年", 0)


def test_the_2024_guide_moves_every_year_of_its_tables_and_no_document_number():
    from pathlib import Path

    guide = (Path(__file__).resolve().parent.parent / "guides" / "2024-cluster-guide.txt").read_text(encoding="utf-8")
    shifted, moved = shift_years(guide, 1, 2024)
    assert "\n2025年内蒙古自治区先进制造业集群申报指南\n" in shifted
    assert "财税〔2015〕119号" in shifted and "2021年" not in shifted
    # 4 × 2024年 in the title and 支持方向, 18 years heading the three-year tables, 1 × （2023）.
    assert moved == 23
    assert shifted.count("2022年") == guide.count("2021年")
