from django.urls import path

from security import views

app_name = "security"
urlpatterns = [path("", views.policy_page, name="policy")]
