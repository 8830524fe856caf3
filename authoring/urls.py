from django.urls import path

from authoring import views

app_name = "authoring"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.copy, name="copy"),
    path("<slug:code>/", views.call_detail, name="call"),
    path("<slug:code>/guide/", views.edit_guide, name="guide"),
    path("<slug:code>/window/", views.edit_window, name="window"),
    path("<slug:code>/unpublish/", views.unpublish, name="unpublish"),
    path("<slug:code>/revisions/upload/", views.upload, name="upload"),
    path("<slug:code>/revisions/compare/", views.compare, name="compare"),
    path("<slug:code>/revisions/<int:number>.<slug:fmt>", views.download, name="download"),
    path("<slug:code>/revisions/<int:number>/preview/", views.preview_form, name="preview"),
    path("<slug:code>/revisions/<int:number>/preview/<slug:document>.pdf", views.preview_document, name="preview_pdf"),
    path("<slug:code>/revisions/<int:number>/publish/", views.publish, name="publish"),
]
