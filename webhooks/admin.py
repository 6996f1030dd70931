"""Webhook endpoints and their deliveries, for operators. Secrets are never shown here."""

from django.contrib import admin

from .models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "organization", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "description", "organization__slug")
    readonly_fields = ("secret_hint", "created_at", "updated_at", "secret_rotated_at")
    exclude = ("secret_encrypted",)

    def has_add_permission(self, request):
        return False  # owners register endpoints on their page, where the secret is shown once


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "endpoint", "status", "attempts", "last_status_code")
    list_filter = ("status", "event")
    search_fields = ("delivery_id", "event_id", "endpoint__url")
    list_select_related = ("endpoint",)
    readonly_fields = ("delivery_id", "event_id", "body", "created_at", "claimed_at")
