"""The real URLs plus one view that fails, to see what a server error looks like to users and in the log."""

from django.urls import path

from shenbao.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("数据库连接中断（测试）")


urlpatterns = [path("broken/", broken), *urlpatterns]
