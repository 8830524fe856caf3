from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("download/<slug:slug>.xlsx", views.download, name="download"),
]
