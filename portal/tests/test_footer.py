"""Every page's footer: 主办单位, 联系电话, 技术支持 and the 备案 numbers from settings.SHENBAO_FOOTER, which
the environment sets (SHENBAO_FOOTER_*); a line left empty is not shown."""

import os
import subprocess
import sys

from django.urls import reverse

FULL = {
    "owner": "内蒙古自治区工业和信息化厅",
    "phone": "0471-6945000",
    "support": "内蒙古数字政务服务中心",
    "icp": "蒙ICP备05000000号-1",
    "police": "蒙公网安备 15010202000001号",
}


def footer_of(client, settings, **lines):
    settings.SHENBAO_FOOTER = lines
    html = client.get(reverse("accounts:login")).content.decode()
    return html[html.index('<footer class="site-footer">') :]


def test_the_footer_names_the_owner_phone_support_and_links_both_registrations(client, settings):
    footer = footer_of(client, settings, **FULL)
    assert "主办单位：内蒙古自治区工业和信息化厅" in footer
    assert "联系电话：0471-6945000" in footer
    assert "技术支持：内蒙古数字政务服务中心" in footer
    assert '<a href="https://beian.miit.gov.cn/">蒙ICP备05000000号-1</a>' in footer
    assert (
        '<a href="https://beian.mps.gov.cn/#/query/webSearch?code=15010202000001">蒙公网安备 15010202000001号</a>'
        in footer
    )


def test_a_line_left_empty_is_not_shown(client, settings):
    footer = footer_of(client, settings, **{**FULL, "phone": "", "support": "  ", "police": ""})
    assert "主办单位" in footer and "蒙ICP备05000000号-1" in footer
    assert "联系电话" not in footer and "技术支持" not in footer and "公网安备" not in footer
    footer = footer_of(client, settings, **{key: "" for key in FULL})
    assert "主办单位" not in footer and "beian" not in footer


def test_the_environment_sets_each_line_and_the_owner_defaults_to_the_platform_owner(settings):
    show = "from django.conf import settings as s; f = s.SHENBAO_FOOTER; print(f['owner'], f['phone'], f['icp'] or '-')"
    env = {**os.environ, "SHENBAO_FOOTER_PHONE": "0471-6945000"}
    env.pop("SHENBAO_FOOTER_ICP", None)
    env.pop("SHENBAO_FOOTER_OWNER", None)
    out = subprocess.run(  # noqa: S603 -- our own settings, a fixed one-liner
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.split() == ["内蒙古自治区工业和信息化厅", "0471-6945000", "-"]
