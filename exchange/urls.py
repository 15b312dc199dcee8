from django.urls import path

from exchange import feed_views, views

app_name = "exchange"

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("imports/<slug:kind>/new/", views.import_new, name="import_new"),
    path("imports/<slug:kind>/template.<str:fmt>", views.import_template, name="import_template"),
    # Open data (exchange.feed_views): read-only feeds as .json or .csv, public
    # for programmes published as open data.
    path("open-data/", feed_views.index, name="open_data"),
    path("open-data/programmes.<str:fmt>", feed_views.programmes, name="programmes_feed"),
    path("open-data/projects.<str:fmt>", feed_views.projects, name="projects_feed"),
    path("open-data/highlight-reports.<str:fmt>", feed_views.highlight_reports, name="reports_feed"),
    path(
        "open-data/programmes/<slug:ref>/projects.<str:fmt>",
        feed_views.projects,
        name="programme_projects_feed",
    ),
    path(
        "open-data/programmes/<slug:ref>/highlight-reports.<str:fmt>",
        feed_views.highlight_reports,
        name="programme_reports_feed",
    ),
]
