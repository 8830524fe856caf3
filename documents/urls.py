from django.urls import path

from documents.views import jobs, official, reports, summaries, workbooks

app_name = "documents"

urlpatterns = [
    # Before the generic <document>.<fmt> download, which would otherwise take workbook.xlsx.
    path("applications/<int:pk>/workbook.xlsx", workbooks.download, name="workbook"),
    path("applications/<int:pk>/workbook-blank.xlsx", workbooks.blank, name="workbook_blank"),
    path("applications/<int:pk>/workbook/import/", workbooks.upload, name="workbook_import"),
    path("applications/<int:pk>/<slug:document>.<slug:fmt>", reports.download, name="download"),
    path("official/<int:pk>/regenerate/", official.regenerate, name="official_regenerate"),
    path("summary/", summaries.summary, name="summary"),
    path("summary/xlsx/", summaries.summary_xlsx_download, name="summary_xlsx"),
    path("summary/pdf/", summaries.summary_pdf_download, name="summary_pdf"),
    path("jobs/<int:pk>/", jobs.job, name="job"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job_download"),
    path("recommendation-list/", summaries.recommendation_list, name="recommendation_list"),
    path("recommendation-list/xlsx/", summaries.recommendation_xlsx_download, name="recommendation_xlsx"),
    path("recommendation-list/pdf/", summaries.recommendation_pdf_download, name="recommendation_pdf"),
]
