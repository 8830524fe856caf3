from django.urls import path

from calls import views

app_name = "calls"
urlpatterns = [
    path("<slug:code>/guide/", views.guide, name="guide"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/<slug:code>/", views.manage_call, name="manage_call"),
]
