"""Which 盟市 registered an organisation, read from its 统一社会信用代码 (GB 32100-2015).

Characters 3–8 of the code are the 登记管理机关行政区划码: the GB/T 2260 code of the place whose
authority registered it — a 盟市 (150200), one of its 旗县区 (150203), the 自治区 itself (150000), or
somewhere outside Inner Mongolia. A 旗县区 belongs to the 盟市 of its first four digits, except the two
county-level cities that recommend on their own (满洲里市 150781 under 呼伦贝尔, 二连浩特市 152501 under
锡林郭勒), which are their own recommending unit. This is a hint for the 盟市 reviewing a registration:
an organisation may be registered in one place and run its cluster in another, so it warns, never refuses.
"""

from dataclasses import dataclass

from regions.models import Region

AREA = slice(2, 8)  # characters 3–8
REGION_LEVEL = "15"  # the first two digits of every code in Inner Mongolia
WHOLE_REGION = "150000"


@dataclass(frozen=True)
class Authority:
    """The place a registration-authority code names: its code, a name to show, and the recommending unit
    (Region) it belongs to, or None (the 自治区 itself, an unknown code, outside Inner Mongolia)."""

    code: str
    name: str
    region: Region | None


def authority_of(credit_code, regions=None):
    """The Authority of a 统一社会信用代码, or None when the code has no six-digit area in it."""
    area = (credit_code or "")[AREA]
    if len(area) != 6 or not area.isdigit():
        return None
    by_code = {r.code: r for r in (regions if regions is not None else Region.objects.all())}
    if area in by_code:  # a 盟市's own code, or 满洲里市 / 二连浩特市
        return Authority(area, by_code[area].name, by_code[area])
    if area == WHOLE_REGION:
        return Authority(area, "内蒙古自治区本级", None)
    league = by_code.get(area[:4] + "00")
    if league is not None and area[:2] == REGION_LEVEL:
        return Authority(area, f"{league.name}所辖旗县区", league)
    if area[:2] == REGION_LEVEL:
        return Authority(area, "内蒙古自治区内未知地区", None)
    return Authority(area, "内蒙古自治区以外", None)


def mismatch(credit_code, region, regions=None):
    """The sentence warning that the code was registered outside `region` (the 盟市 chosen at
    registration), or "" when it matches or the code has no area to compare."""
    authority = authority_of(credit_code, regions)
    if authority is None or region is None or (authority.region is not None and authority.region.pk == region.pk):
        return ""
    return (
        f"该统一社会信用代码的登记机关代码为 {authority.code}（{authority.name}），"
        f"与所选盟市{region.name}不一致，请核实。"
    )
