from django.contrib import admin

from .models import Meeting, Membership, Organisation, Partnership, ThemeGroup


class ThemeGroupInline(admin.TabularInline):
    model = ThemeGroup
    extra = 0
    fields = ["name", "chair", "coordinator"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]
    fields = ["user", "organisation", "role", "job_title"]


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    fields = ["date", "kind", "title", "theme_group", "location"]
    ordering = ["-date"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "police_force", "population", "fy_start_month"]
    list_filter = ["police_force"]
    search_fields = ["name", "area", "police_force", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeGroupInline, MembershipInline, MeetingInline]


@admin.register(ThemeGroup)
class ThemeGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "chair", "coordinator"]
    list_filter = ["partnership"]
    search_fields = ["name", "partnership__name", "chair", "coordinator"]
    list_select_related = ["partnership"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "statutory"]
    list_filter = ["kind", "statutory"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "organisation", "role", "job_title"]
    list_filter = ["role", "partnership", "organisation__kind"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "partnership__name",
        "organisation__name",
        "job_title",
    ]
    autocomplete_fields = ["user", "partnership", "organisation"]
    list_select_related = ["user", "partnership", "organisation"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "kind", "partnership", "theme_group", "location"]
    list_filter = ["kind", "partnership"]
    search_fields = ["title", "location", "partnership__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["partnership", "theme_group"]
    list_select_related = ["partnership", "theme_group__partnership"]
