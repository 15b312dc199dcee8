from django.urls import path

from committees import delete_views, exempt_views, issue_views, views

app_name = "committees"
urlpatterns = [
    path("", views.committee_list, name="list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", delete_views.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/agenda/new/", views.agenda_item_create, name="agenda_item_create"),
    path("meetings/<int:pk>/agenda/<int:number>/edit/", views.agenda_item_edit, name="agenda_item_edit"),
    path("meetings/<int:pk>/agenda/<int:number>/delete/", delete_views.agenda_item_delete, name="agenda_item_delete"),
    path("meetings/<int:pk>/agenda/<int:number>/report/", views.report_detail, name="report"),
    path("meetings/<int:pk>/agenda/<int:number>/report/pdf/", views.report_pdf, name="report_pdf"),
    path("meetings/<int:pk>/agenda/<int:number>/report/edit/", views.report_edit, name="report_edit"),
    path("meetings/<int:pk>/agenda/<int:number>/report/paragraphs/new/", views.paragraph_add, name="paragraph_add"),
    path(
        "meetings/<int:pk>/agenda/<int:number>/report/paragraphs/<int:paragraph_pk>/edit/",
        views.paragraph_edit,
        name="paragraph_edit",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:number>/report/paragraphs/<int:paragraph_pk>/remove/",
        views.paragraph_remove,
        name="paragraph_remove",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:number>/report/paragraphs/<int:paragraph_pk>/move/",
        views.paragraph_move,
        name="paragraph_move",
    ),
    path("meetings/<int:pk>/agenda/<int:number>/report/appendices/new/", views.appendix_add, name="appendix_add"),
    path(
        "meetings/<int:pk>/agenda/<int:number>/report/appendices/<int:appendix_pk>/remove/",
        views.appendix_remove,
        name="appendix_remove",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:number>/report/appendices/<int:appendix_pk>/move/",
        views.appendix_move,
        name="appendix_move",
    ),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/new/", views.minute_create, name="minute_create"),
    path("meetings/<int:pk>/minutes/<int:number>/edit/", views.minute_edit, name="minute_edit"),
    path("meetings/<int:pk>/minutes/<int:number>/remove/", views.minute_remove, name="minute_remove"),
    path(
        "meetings/<int:pk>/minutes/<int:number>/actions/new/", views.minute_action_create, name="minute_action_create"
    ),
    path("meetings/<int:pk>/matters-arising/", views.matters_arising, name="matters_arising"),
    path("meetings/<int:pk>/changes/", views.changes_since_last_meeting, name="changes"),
    path("meetings/<int:pk>/pack/", views.meeting_pack, name="pack"),
    path("meetings/<int:pk>/pack/pdf/", views.meeting_pack_pdf, name="pack_pdf"),
    path("meetings/<int:pk>/pack/contents/", views.meeting_pack_contents, name="pack_contents"),
    path("meetings/<int:pk>/pack/exempt/", exempt_views.exempt_pack, name="pack_exempt"),
    path("meetings/<int:pk>/pack/exempt/pdf/", exempt_views.exempt_pack_pdf, name="pack_exempt_pdf"),
    path(
        "meetings/<int:pk>/agenda/<int:number>/report/appendices/<int:appendix_pk>/file/",
        exempt_views.appendix_file,
        name="appendix_file",
    ),
    path("meetings/<int:pk>/pack/issue/", issue_views.pack_issue, name="pack_issue"),
    path("meetings/<int:pk>/issued/", issue_views.issued_list, name="issued"),
    path("issued/<int:pk>/status/", issue_views.issued_status, name="issued_status"),
    path("issued/<int:pk>/retry/", issue_views.issued_retry, name="issued_retry"),
    path("issued/<int:pk>/pdf/", issue_views.issued_pdf, name="issued_pdf"),
    path("<slug:ref>/", views.committee_detail, name="detail"),
    path("<slug:ref>/meetings/new/", views.meeting_create, name="meeting_create"),
]
