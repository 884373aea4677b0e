from django.contrib import admin

from .models import PoliceImport


@admin.register(PoliceImport)
class PoliceImportAdmin(admin.ModelAdmin):
    list_display = ["imported_at", "partnership", "imported_by", "dry_run"]
    list_filter = ["partnership", "dry_run"]
    readonly_fields = ["partnership", "files", "report", "dry_run", "imported_by", "imported_at"]

    def has_add_permission(self, request):
        return False
