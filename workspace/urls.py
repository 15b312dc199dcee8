from django.urls import path

from workspace import views

# Not namespaced: the home page is "home" everywhere (LOGIN_REDIRECT_URL, the navigation).
urlpatterns = [
    path("", views.home, name="home"),
]
