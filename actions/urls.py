from django.urls import path

from actions import dashboard_views, views

app_name = "actions"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("new/", views.action_create, name="create"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<slug:ref>/", views.review_detail, name="review"),
    path("reviews/<slug:ref>/progress/", views.review_progress, name="progress"),
    path("reviews/<slug:ref>/dashboard/", dashboard_views.review_dashboard, name="review_dashboard"),
    path("recommendations/<slug:ref>/", views.recommendation_detail, name="recommendation"),
    path("recommendations/<slug:ref>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path("areas/<slug:area_ref>/recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("<slug:ref>/", views.action_detail, name="detail"),
    path("<slug:ref>/update/", views.action_update, name="update"),
    path("<slug:ref>/edit/", views.action_edit, name="edit"),
]
