from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import login, management, registration

app_name = "accounts"
urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("session-expired/", login.session_expired, name="session_expired"),
    path("password/", login.PasswordChangeView.as_view(), name="password_change"),
    path("register/", registration.register, name="register"),
    path("registration/", registration.edit_registration, name="edit_registration"),
    path("organisations/", registration.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", registration.organisation_detail, name="organisation_detail"),
    path("manage/", management.account_list, name="account_list"),
    path("manage/new/", management.account_create, name="account_create"),
    path("manage/<int:pk>/", management.account_detail, name="account_detail"),
    path(
        "manage/<int:pk>/<slug:action>/",
        management.account_action,
        name="account_action",
    ),
]
