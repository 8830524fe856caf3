from django.urls import path

from calls import views

app_name = "calls"
urlpatterns = [
    path("<slug:code>/guide/", views.guide, name="guide"),
]
