from django.urls import include, path

from documents.views import reports

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("accounts.urls")),
    path("regions/", include("accounts.urls.regions")),
    path("calls/", include("calls.urls")),
    path("calls/manage/", include("authoring.urls")),
    path("applications/", include("applications.urls")),
    path("documents/", include("documents.urls")),
    path("reviews/", include("reviews.urls")),
    path("notifications/", include("accounts.urls.notifications")),
    path("dashboards/", include("dashboards.urls")),
    path("audit/", include("accounts.urls.audit")),
    path("security/", include("accounts.urls.security")),
    path("verify/", reports.verify_form, name="verify_form"),
    path("verify/<str:code>/", reports.verify, name="verify"),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
