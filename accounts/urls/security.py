from django.urls import path

from accounts.views import security_policy as views

app_name = "security"
urlpatterns = [path("", views.policy_page, name="policy")]
