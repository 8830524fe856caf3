from django.urls import path

from portal import publicity, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # The public 公示 and its 异议 form: no login (portal/publicity.py)
    path("publicity/", publicity.publicity_page, name="publicity"),
    path("publicity/<str:number>/objection/", publicity.objection, name="objection"),
]
