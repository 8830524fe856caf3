from django.urls import path

from accounts.views import regions as views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("<int:pk>/edit/", views.region_edit, name="edit"),
]
