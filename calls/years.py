"""Shifting the years a call's texts name when the 自治区 copies last year's call into this year's.

A call's schema names its years relatively ({year}, {last_year}, per-year tables of Y-3…Y-1), but a
guide's text and a schema an official typed in a 字段表 may write them out. Copying a call shifts those
— 2024年 becomes 2025年, 2024-05-20 becomes 2025-05-20 — and leaves alone what is not this call's
calendar: a document number's year (财税〔2015〕119号, 内工信产业字〔2024〕156号), a standard's year
(GB/T 22239-2019), and years far from the call's.
"""

import re

YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
# The characters that open a document number's year: 〔2015〕, ［2015］, [2015].
NUMBER_BRACKETS = "〔［["
# A number joined to the year by a dash is a standard (GB/T 22239-2019) or a telephone number
# (0471-2024), unless it is itself a year (2024—2026年, a range).
EARLIER = re.compile(r"(\d+)[-—－–]$")
NEAR = 6  # years either side of the call year that a text about this call names


def shift_years(text: str, by: int, around: int) -> tuple[str, int]:
    """`text` with every year within NEAR of `around` moved by `by`, and how many were moved."""
    moved = 0

    def shift(match):
        nonlocal moved
        year, start = int(match.group(1)), match.start()
        before = text[max(0, start - 8) : start]
        if abs(year - around) > NEAR or before.endswith(tuple(NUMBER_BRACKETS)):
            return match.group(0)
        joined = EARLIER.search(before)
        if joined and not re.fullmatch(r"(19|20)\d\d", joined.group(1)):
            return match.group(0)
        moved += 1
        return str(year + by)

    return YEAR.sub(shift, text), moved
