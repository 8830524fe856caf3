"""accounts' own pages, at /accounts/. The modules beside this one mount the pages accounts holds for the apps
below it, each under the namespace it always had: audit, security, regions and notifications (shenbao/urls.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import login, management, registration, two_factor

app_name = "accounts"
urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("session-expired/", login.session_expired, name="session_expired"),
    path("password/", login.PasswordChangeView.as_view(), name="password_change"),
    path("2fa/", two_factor.security, name="two_factor"),
    path("2fa/verify/", two_factor.verify, name="two_factor_verify"),
    path("2fa/setup/", two_factor.setup, name="two_factor_setup"),
    path("2fa/recovery-codes/", two_factor.regenerate_recovery_codes, name="recovery_codes_regenerate"),
    path("register/", registration.register, name="register"),
    path("registration/", registration.edit_registration, name="edit_registration"),
    path("organisations/", registration.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", registration.organisation_detail, name="organisation_detail"),
    path(
        "organisations/<int:pk>/accounts/<slug:action>/",
        management.organisation_accounts,
        name="organisation_accounts",
    ),
    path("manage/", management.account_list, name="account_list"),
    path("manage/new/", management.account_create, name="account_create"),
    path("manage/<int:pk>/", management.account_detail, name="account_detail"),
    path(
        "manage/<int:pk>/<slug:action>/",
        management.account_action,
        name="account_action",
    ),
]
