from django.urls import path

from . import views

urlpatterns = [
    path("api/funnel/calculate", views.calculate_api, name="api_funnel_calculate"),
    path("calculator/", views.calculator, name="calculator"),
    path("calculator/results/", views.calculator_results, name="calculator_results"),
]
