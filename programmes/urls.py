from django.urls import path

from programmes import report_views, views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<slug:ref>/", views.project_detail, name="project"),
    path("projects/<slug:ref>/update/", views.project_update, name="project_update"),
    path("projects/<slug:ref>/edit/", views.project_edit, name="project_edit"),
    path("projects/<slug:ref>/status/", views.project_status, name="project_status"),
    path("projects/<slug:ref>/initiation/", views.project_initiation, name="project_initiation"),
    path("workstreams/<slug:ref>/edit/", views.workstream_edit, name="workstream_edit"),
    path("workstreams/<slug:ref>/projects/new/", views.project_create, name="project_create"),
    path("<slug:ref>/", views.programme_detail, name="detail"),
    path("<slug:ref>/edit/", views.programme_edit, name="edit"),
    path("<slug:ref>/workstreams/new/", views.workstream_create, name="workstream_create"),
    path("<slug:ref>/reports/", report_views.report_list, name="reports"),
    path("<slug:ref>/reports/new/", report_views.report_create, name="report_create"),
    path("reports/<int:pk>/", report_views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", report_views.report_edit, name="report_edit"),
    path("reports/<int:pk>/rows/<int:row_pk>/remove/", report_views.report_row_remove, name="report_row_remove"),
    path("reports/<int:pk>/publish/", report_views.report_publish, name="report_publish"),
    path("reports/<int:pk>/correct/", report_views.report_correct, name="report_correct"),
    path("reports/<int:pk>/print/", report_views.report_print, name="report_print"),
    path("reports/<int:pk>/pdf/", report_views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/xlsx/", report_views.report_xlsx, name="report_xlsx"),
]
