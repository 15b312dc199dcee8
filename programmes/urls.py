from django.urls import path

from programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<slug:ref>/", views.programme_detail, name="detail"),
    path("projects/<slug:ref>/", views.project_detail, name="project"),
]
