from django.urls import path

from actions import views

app_name = "actions"
urlpatterns = [
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<slug:ref>/", views.review_detail, name="review"),
    path("recommendations/<slug:ref>/", views.recommendation_detail, name="recommendation"),
    path("<slug:ref>/", views.action_detail, name="detail"),
]
