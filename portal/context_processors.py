from urllib.parse import urlencode

from django.conf import settings

from portal.navigation import menu_for

# Where the footer's registration numbers are looked up: links the reader follows, never page assets.
ICP_REGISTER = "https://beian.miit.gov.cn/"
POLICE_REGISTER = "https://beian.mps.gov.cn/#/query/webSearch"


def navigation(request):
    return {
        "platform_name": settings.PLATFORM_NAME,
        "platform_owner": settings.PLATFORM_OWNER,
        "menu": menu_for(request.user),
        "footer": footer(),
    }


def footer():
    """The footer's lines from settings.SHENBAO_FOOTER, blanks trimmed; an empty line is left out by the template.
    The 公网安备 number's digits go into the link to its entry on the MPS register."""
    lines = {key: (value or "").strip() for key, value in settings.SHENBAO_FOOTER.items()}
    police_code = "".join(ch for ch in lines.get("police", "") if ch.isdigit())
    lines["icp_url"] = ICP_REGISTER
    lines["police_url"] = f"{POLICE_REGISTER}?{urlencode({'code': police_code})}"
    return lines
