from django.contrib import admin

from .models import (
    CommissioningChange,
    CommissioningLine,
    FundingStream,
    ProgressOutput,
    ProgressUpdate,
)


@admin.register(FundingStream)
class FundingStreamAdmin(admin.ModelAdmin):
    list_display = ["source", "partnership", "financial_year", "amount"]
    list_filter = ["partnership", "financial_year"]
    search_fields = ["source", "partnership__name"]
    exclude = ["version"]


@admin.register(CommissioningLine)
class CommissioningLineAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "partnership",
        "financial_year",
        "provider",
        "funding_stream",
        "contribution_status",
        "contribution",
        "total_budget",
        "end",
        "status",
    ]
    list_filter = ["partnership", "financial_year", "status", "contribution_status", "theme_group"]
    search_fields = ["reference", "area_of_need", "recommendation", "provider"]
    list_select_related = ["partnership", "funding_stream"]
    autocomplete_fields = ["indicators"]
    exclude = ["version"]


class ProgressOutputInline(admin.TabularInline):
    model = ProgressOutput
    extra = 1


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["line", "date", "reported_by", "entered_by"]
    list_filter = ["line__partnership", "date"]
    search_fields = ["text", "reported_by", "line__reference"]
    list_select_related = ["line", "entered_by"]
    inlines = [ProgressOutputInline]
    exclude = ["version", "entered_by"]


@admin.register(CommissioningChange)
class CommissioningChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "partnership", "subject", "label", "source", "changed_by"]
    list_filter = ["partnership", "subject", "source"]
    search_fields = ["label"]
    readonly_fields = [f.name for f in CommissioningChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
