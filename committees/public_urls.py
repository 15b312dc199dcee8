"""The public papers pages, mounted at /public/ without a login (committees.public_views)."""

from django.urls import path

from committees import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("<slug:ref>/", public_views.committee_papers, name="committee"),
    path("<slug:ref>/packs/<int:pk>/pdf/", public_views.pack_pdf, name="pack_pdf"),
    path("<slug:ref>/reports/<int:pk>/", public_views.report, name="report"),
]
