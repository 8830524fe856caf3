from django.conf import settings

from portal.navigation import menu_for


def navigation(request):
    return {
        "platform_name": settings.PLATFORM_NAME,
        "platform_owner": settings.PLATFORM_OWNER,
        "menu": menu_for(request.user),
    }
