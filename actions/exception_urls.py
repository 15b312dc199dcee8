"""The exception report and slippage pages of programmes and of reviews'
action plans. Their views are in actions (a programme's report counts the
actions it delivers, and programmes sits below actions), so the root URLconf
includes these beside each app's own addresses."""

from django.urls import path

from actions import exception_views as views

app_name = "exceptions"
urlpatterns = [
    path("programmes/<slug:ref>/exceptions/", views.programme_exceptions, name="programme"),
    path("programmes/<slug:ref>/exceptions/print/", views.programme_exceptions_print, name="programme_print"),
    path("programmes/<slug:ref>/exceptions/pdf/", views.programme_exceptions_pdf, name="programme_pdf"),
    path("programmes/<slug:ref>/slippage/", views.programme_slippage_page, name="programme_slippage"),
    path("actions/reviews/<slug:ref>/exceptions/", views.review_exceptions, name="review"),
    path("actions/reviews/<slug:ref>/exceptions/print/", views.review_exceptions_print, name="review_print"),
    path("actions/reviews/<slug:ref>/exceptions/pdf/", views.review_exceptions_pdf, name="review_pdf"),
    path("actions/reviews/<slug:ref>/slippage/", views.review_slippage_page, name="review_slippage"),
]
