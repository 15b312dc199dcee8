from django.urls import path

from workspace import owner_views, views

# Not namespaced: the home page is "home" everywhere (LOGIN_REDIRECT_URL, the
# navigation), and core.Owner.get_absolute_url reverses "owner_detail".
urlpatterns = [
    path("", views.home, name="home"),
    path("people/", owner_views.owner_list, name="owners"),
    path("people/new/", owner_views.owner_create, name="owner_create"),
    path("people/<int:pk>/", owner_views.owner_detail, name="owner_detail"),
    path("people/<int:pk>/edit/", owner_views.owner_edit, name="owner_edit"),
]
