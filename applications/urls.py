from django.urls import path

from applications.views import attachments, editor, submission

app_name = "applications"

urlpatterns = [
    path("start/<slug:call_code>/", editor.start, name="start"),
    path("<int:pk>/", editor.overview, name="overview"),
    path("<int:pk>/section/<slug:section>/", editor.section, name="section"),
    path("<int:pk>/autosave/", editor.autosave, name="autosave"),
    path("<int:pk>/attachments/", attachments.page, name="attachments"),
    path("<int:pk>/attachments/<slug:slot>/upload/", attachments.upload, name="upload"),
    path("<int:pk>/attachments/<int:attachment_id>/replace/", attachments.replace, name="replace"),
    path("<int:pk>/attachments/<int:attachment_id>/remove/", attachments.remove, name="remove"),
    path("attachments/<int:attachment_id>/download/", attachments.download, name="download"),
    path("<int:pk>/check/", submission.check, name="check"),
    path("<int:pk>/submit/", submission.submit, name="submit"),
    path("<int:pk>/withdraw/", submission.withdraw, name="withdraw"),
    path("<int:pk>/versions/<int:number>/", submission.receipt, name="receipt"),
]
