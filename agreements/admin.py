from django.contrib import admin

from .models import Agreement


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "status", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["organization"]
    search_fields = ["title"]
