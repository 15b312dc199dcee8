from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("workspace.urls")),
    path("", include("core.urls")),
    path("programmes/", include("programmes.urls")),
    path("actions/", include("actions.urls")),
    # Exception reports and slippage of programmes and action plans (actions/exception_urls.py).
    path("", include("actions.exception_urls")),
    path("committees/", include("committees.urls")),
    path("public/", include("committees.public_urls")),
    path("", include("exchange.urls")),
    path("admin/", admin.site.urls),
]
