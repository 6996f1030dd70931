from django.urls import path

from . import views

WEBHOOKS = "o/<slug:slug>/webhooks/"
ENDPOINT = WEBHOOKS + "<int:endpoint_id>/"

urlpatterns = [
    path(WEBHOOKS, views.endpoint_list, name="webhook_endpoints"),
    path(WEBHOOKS + "new/", views.endpoint_create, name="webhook_endpoint_create"),
    path(ENDPOINT, views.endpoint_detail, name="webhook_endpoint"),
    path(ENDPOINT + "edit/", views.endpoint_edit, name="webhook_endpoint_edit"),
    path(ENDPOINT + "delete/", views.endpoint_delete, name="webhook_endpoint_delete"),
    path(ENDPOINT + "secret/", views.endpoint_rotate_secret, name="webhook_endpoint_rotate"),
    path(ENDPOINT + "ping/", views.endpoint_ping, name="webhook_endpoint_ping"),
    path(
        ENDPOINT + "deliveries/<int:delivery_id>/resend/",
        views.delivery_resend,
        name="webhook_delivery_resend",
    ),
]
