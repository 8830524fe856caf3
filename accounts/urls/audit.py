from django.urls import path

from accounts.views import audit_log as views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("<int:seq>/", views.entry_detail, name="detail"),
    path("export.xlsx", views.export, name="export"),
    path("integrity/", views.integrity, name="integrity"),
]
