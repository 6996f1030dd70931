from django.urls import path

from . import views

urlpatterns = [
    path("o/<slug:slug>/", views.dashboard, name="dashboard"),
]
