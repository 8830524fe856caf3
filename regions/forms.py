"""The 系统管理员's form for a 盟市: its name and its 工信局's name; the GB/T 2260 code is fixed."""

from regions.models import Region
from shenbao.lib.forms import ShenbaoModelForm


class RegionForm(ShenbaoModelForm):
    class Meta:
        model = Region
        fields = ["name", "bureau_name"]
        help_texts = {"bureau_name": "显示在注册审核、推荐和通知中的工业和信息化主管部门名称。"}
