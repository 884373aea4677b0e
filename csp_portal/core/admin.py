from operator import attrgetter

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import NestedObjects, get_fields_from_path, unquote
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, router
from django.db.models import Count, F, Model, OuterRef, QuerySet, Subquery
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet, _get_foreign_key
from django.forms.utils import pretty_name
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst

from . import history, permissions, selectors
from .forms import PlainTextMixin, PlainTextModelForm, partnership_theme_groups
from .history import History
from .models import (
    RAG_LEGEND_EXAMPLE,
    Meeting,
    Membership,
    Organisation,
    Partnership,
    ThemeGroup,
    theme_group_key,
)
from .passwords import users_with_email
from .removal import counted
from .text import joined

User = get_user_model()
LAST_ADMINISTRATOR = "At least one active administrator must remain."
ADMINISTRATOR_FLAGS = ("is_active", "is_staff", "is_superuser")


def _administrators():
    """Who can still sign in to the admin and manage everyone: active staff superusers
    with a password (one disabled in the admin must first choose one from an emailed
    link, which may never arrive)."""
    return User.objects.filter(is_active=True, is_staff=True, is_superuser=True).exclude(
        password__startswith=UNUSABLE_PASSWORD_PREFIX
    )


def _removes_last_administrator(user_ids) -> bool:
    """Whether these users are all the administrators left (none would remain without them)."""
    return (
        _administrators().filter(pk__in=user_ids).exists()
        and not _administrators().exclude(pk__in=user_ids).exists()
    )


def delete_unless_refused(modeladmin, request, queryset):
    """Django's "delete selected", unless the admin refuses to delete any of them: then
    none is deleted, and each refusal is said."""
    refusals = modeladmin.deletion_refusals(list(queryset))
    for refusal in refusals:
        modeladmin.message_user(request, refusal, messages.ERROR)
    return None if refusals else delete_selected(modeladmin, request, queryset)


def counts_naming(rows: QuerySet, field: str, objs) -> dict[int, int]:
    """How many of these rows name each of these objects in ``field`` (those naming none
    left out), in one query: a deletion refused for them says how many, not which."""
    return dict(
        rows.filter(**{f"{field}__in": objs})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values_list(field, "n")
    )


class RefusesDeletion:
    """A model admin that refuses to delete an object, or selected ones, while
    ``deletion_refusals`` gives a reason (before Django's confirmation page)."""

    def deletion_refusals(self, objs: list) -> list[str]:
        return []

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            # Offered as Django's own is (to those who may delete), checked first.
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_unless_refused, name, description)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        # Refused only to someone who may delete it (Django refuses anyone else).
        asked = obj is not None and self.has_delete_permission(request, obj)
        refusals = self.deletion_refusals([obj]) if asked else []
        if refusals:
            for refusal in refusals:
                self.message_user(request, refusal, messages.ERROR)
            opts = self.opts
            return redirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
        return super().delete_view(request, object_id, extra_context)


def object_id_of(request) -> str | None:
    """The primary key of the row a change page shows; None on an add page."""
    object_id = request.resolver_match.kwargs.get("object_id")
    return unquote(object_id) if object_id else None


# The partnership whose rows a look-up box offers: a query parameter of the box's URL.
PARTNERSHIP_PARAMETER = "partnership"


class PartnershipAutocomplete(AutocompleteSelect):
    """An autocomplete box that asks for the rows of one partnership (that of the row the
    page shows), or, on an add page, of every partnership its user may administer."""

    def __init__(self, *args, partnership_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership_id = partnership_id

    def get_url(self) -> str:
        url = super().get_url()
        if self.partnership_id is None:
            return url
        return f"{url}?{urlencode({PARTNERSHIP_PARAMETER: self.partnership_id})}"


class LooksUpInItsPartnership:
    """A model admin whose look-up boxes for rows of a partnership (``partnership_boxes``:
    an action's lead, a recommendation's meeting) ask, on a row's page, for that row's
    partnership's only (``partnership_path`` leads from the row to it). The boxes' admin
    (`OffersOwnPartnerships`) answers."""

    partnership_boxes: tuple[str, ...] = ()
    partnership_path = "partnership"

    def _partnership_id_shown(self, request) -> int | None:
        object_id = object_id_of(request)
        if object_id is None:
            return None
        rows = self.model._default_manager.filter(pk=object_id)
        return rows.values_list(self.partnership_path, flat=True).first()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.partnership_boxes and "widget" not in kwargs:
            kwargs["widget"] = PartnershipAutocomplete(
                db_field,
                self.admin_site,
                using=kwargs.get("using"),
                partnership_id=self._partnership_id_shown(request),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def in_administered_partnerships(rows, user, partnership_path: str):
    """These rows, less those of partnerships the user does not administer
    (`permissions.administered_partnership_ids`); ``partnership_path`` leads from a row to
    its partnership ("pk" for partnerships themselves)."""
    allowed = permissions.administered_partnership_ids(user)
    if allowed is None:
        return rows
    return rows.filter(**{f"{partnership_path}__in": allowed})


def administered_rows(rows, user, admin_site):
    """These rows, less those the admin does not show the user: another partnership's when
    their model's admin keeps to the user's partnerships (`InAdministeredPartnerships`); of
    the users, the people `permissions.users_administered`; all of them otherwise."""
    if rows.model is User:
        return permissions.users_administered(rows, user)
    chosen_from = admin_site._registry.get(rows.model)
    if not isinstance(chosen_from, InAdministeredPartnerships):
        return rows
    return in_administered_partnerships(rows, user, chosen_from.partnership_path)


class AdministeredRelatedFilter(admin.RelatedFieldListFilter):
    """A sidebar filter by a related row (a partnership, a theme group) that offers only the
    rows the user may administer (`administered_rows`): Django's lists every row of the
    table, and so named every partnership to a staff user of one."""

    def rows_offered(self, field, request, model_admin):
        rows = field.related_model._default_manager.all()
        return administered_rows(rows, request.user, model_admin.admin_site)

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        offered = self.rows_offered(field, request, model_admin).values("pk")
        return field.get_choices(
            include_blank=False, limit_choices_to={"pk__in": offered}, ordering=ordering
        )


class OffersAdministeredRows:
    """A model admin, or inline, whose boxes offer, and accept, only the rows the admin
    shows its user of those they choose from (`administered_rows`): of every admin that is
    `InAdministeredPartnerships`, its partnerships' rows (a row's partnership, plan,
    indicators, line); of the users, the people `permissions.users_administered`. So do
    the filters of its list (`AdministeredRelatedFilter`)."""

    def get_list_filter(self, request):
        # Each filter by a related row as Django would make it (`FieldListFilter.create`
        # takes any relation first), offering only the user's partnerships' rows.
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and get_fields_from_path(self.model, item)[-1].is_relation:
                item = (item, AdministeredRelatedFilter)
            filters.append(item)
        return filters

    def _administered_choices(self, field, db_field, request):
        if field is not None:
            field.queryset = administered_rows(field.queryset, request.user, self.admin_site)
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._administered_choices(field, db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._administered_choices(field, db_field, request)


class InAdministeredPartnerships(OffersAdministeredRows):
    """A model admin whose rows belong to a partnership (``partnership_path`` leads from a
    row to it): a staff user who is not an administrator lists, opens, changes, deletes and
    reads the history of only the rows of the partnerships they edit (`permissions.
    administered_partnership_ids`): another's row is answered as if it did not exist. The
    boxes of its pages offer, and accept, only the rows the admin shows them
    (`OffersAdministeredRows`)."""

    partnership_path = "partnership"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return in_administered_partnerships(rows, request.user, self.partnership_path)


class OffersOwnPartnerships(InAdministeredPartnerships):
    """A model admin (members, meetings) whose rows the admin's look-up boxes offer only
    from the partnerships the person may administer (`InAdministeredPartnerships`), and
    only from the one a box asks for (`PartnershipAutocomplete`): a staff user of one
    partnership is never shown another's people or meetings."""

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        if match is None or match.url_name != "autocomplete":
            return queryset, distinct
        asked = request.GET.get(PARTNERSHIP_PARAMETER, "")
        if asked.isdecimal():
            queryset = queryset.filter(partnership_id=int(asked))
        return queryset, distinct


class OwnThemeGroups:
    """A model admin whose change page offers, in its theme group boxes, its row's
    partnership's own theme groups, by name, as the site's forms do (``partnership_theme_
    groups``), and refuses any other naming the box. An add page, whose partnership is not
    chosen yet, looks groups up among every partnership's; the model (or the service, for
    an issue's groups) refuses another partnership's."""

    theme_group_fields = ("theme_group",)
    OTHER_GROUP = "Choose a theme group of this partnership."
    OTHER_GROUPS = "Choose theme groups of this partnership."

    def _partnership_shown(self, request) -> Partnership | None:
        """The partnership of the row the change page shows, read once a request."""
        object_id = object_id_of(request)
        if object_id is None:
            return None
        asked = request.__dict__.setdefault("_partnership_shown", {})
        if object_id not in asked:
            rows = self.model._default_manager.filter(pk=object_id).values("partnership")
            asked[object_id] = Partnership.objects.filter(pk__in=rows).first()
        return asked[object_id]

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if self._partnership_shown(request) is None:
            return fields
        return [name for name in fields if name not in self.theme_group_fields]

    def _own_groups(self, field, db_field, request, message: str):
        partnership = self._partnership_shown(request)
        if field is not None and db_field.name in self.theme_group_fields and partnership:
            partnership_theme_groups(field, partnership)
            field.error_messages["invalid_choice"] = message
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._own_groups(field, db_field, request, self.OTHER_GROUP)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._own_groups(field, db_field, request, self.OTHER_GROUPS)


def _shown(field: forms.Field, value) -> object:
    """A form's value as the admin's history says it: a choice by its label, a row by its
    name, several rows by their names joined."""
    if isinstance(field, forms.ModelMultipleChoiceField):  # rows, before and after
        return joined(sorted(str(row) for row in value or []))
    if isinstance(field, forms.ModelChoiceField):  # a primary key before, a row after
        if value in field.empty_values:
            return ""
        return str(value if isinstance(value, Model) else field.to_python(value))
    if isinstance(field, forms.ChoiceField):
        return dict(field.choices).get(value, value)
    return value


def _fields_described(form) -> list[str]:
    """'Role from “Officer” to “Chair”' for each field of this model form whose value
    changed (a field the form calls changed whose value is the same is left out)."""
    model = form._meta.model
    names = [name for name in form.changed_data if name in form.fields]
    old = {name: _shown(form.fields[name], form.initial.get(name)) for name in names}
    new = {name: _shown(form.fields[name], form.cleaned_data.get(name)) for name in names}
    return history.changes_described(model, old, new)


class NamesOldAndNew:
    """A model admin whose history says each change with its old and new values, for the
    row and for the rows of its inlines (Django's names the fields only)."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if add or not isinstance(form, forms.ModelForm):  # a password change: no values
            return message
        # Django's "changed" entries come in this order: the row's, then each inline's.
        changed = [form] if form.changed_data else []
        for formset in formsets or []:
            by_instance = {id(f.instance): f for f in formset.initial_forms}
            changed += [by_instance[id(obj)] for obj, _ in formset.changed_objects]
        described = []
        for entry in message:
            if "changed" in entry:
                entry["changed"]["fields"] = _fields_described(changed.pop(0))
                if not entry["changed"]["fields"]:
                    continue
            described.append(entry)
        return described


def _history_pending(request) -> dict:
    """The rows saved in this request, as they were before (by the id of the instance),
    until their many-to-many fields and inlines are saved too."""
    return request.__dict__.setdefault("_history_before", {})


class AsksAgainAfterARace:
    """A model admin whose rows have a name the database holds unique in its partnership
    whatever its capitals and spaces (`KeepsNameKey`), or a number or reference unique in
    its parent. The form's checks found it free, but another session saved it in the
    instant before this one's write, which the database then refused: the whole save is
    undone and the form is asked once more, when its checks find the other's row and say
    so in their own words, rather than an error page. A second refusal is another fault,
    and raised."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
            request.__dict__.pop("_history_before", None)  # of the save undone
            return super().changeform_view(request, object_id, form_url, extra_context)


class KeepsHistory:
    """A model admin whose adds, changes and deletions, its inlines' too, join the site's
    own history of those rows (`History`), as the site's forms record theirs: who (the
    admin user), the row before and after, source "admin". A deletion records each row
    of the history's models that goes with it (a plan's objectives and actions). A row
    with a version (which the site's forms check) gets a new one when it changes."""

    history: History
    SOURCE = "admin"
    # Its History page shows the rows' own history, every change wherever made, with the
    # admin's log of what was done here.
    object_history_template = "admin/recorded_history.html"

    def recorded_changes(self, obj):
        """The row's history (`csp_portal.core.change_log.ChangesShown`), as its page on
        the site shows it."""
        raise NotImplementedError

    def history_view(self, request, object_id, extra_context=None):
        # A row the user may not administer is not found (get_queryset), as Django's own
        # history page answers it.
        obj = self.get_object(request, unquote(object_id))
        context = {"recorded": self.recorded_changes(obj)} if obj is not None else {}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def _stored(self, obj) -> dict | None:
        # The form has already set its values on obj: the row as it was is read afresh.
        return self.history.snapshot(type(obj)._default_manager.get(pk=obj.pk))

    def _record(self, request, obj, old: dict | None) -> None:
        new = self.history.snapshot(obj)
        if new == old:
            return
        self.history.record(obj, old=old, new=new, by=request.user, source=self.SOURCE)
        if old is not None and any(f.name == "version" for f in obj._meta.concrete_fields):
            type(obj)._default_manager.filter(pk=obj.pk).update(version=F("version") + 1)

    def _record_deletions(self, request, objs) -> None:
        found = NestedObjects(using=router.db_for_write(self.model))
        found.collect(objs)
        for model, rows in found.data.items():
            if model not in self.history.models:
                continue
            for row in sorted(rows, key=lambda row: row.pk):
                old = self.history.snapshot(row)
                self.history.record(row, old=old, new=None, by=request.user, source=self.SOURCE)

    def save_model(self, request, obj, form, change):
        old = self._stored(obj) if change else None
        super().save_model(request, obj, form, change)
        _history_pending(request)[id(obj)] = old

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        self._record(request, obj, _history_pending(request).pop(id(obj), None))

    def save_formset(self, request, form, formset, change):
        if formset.model not in self.history.models:
            return super().save_formset(request, form, formset, change)
        going = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
        old = {
            f.instance.pk: self._stored(f.instance)
            for f in formset.initial_forms
            if f.instance.pk is not None and f.has_changed() and f.instance not in going
        }
        self._record_deletions(request, going)
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._record(request, obj, None)
        for obj, _ in formset.changed_objects:
            self._record(request, obj, old[obj.pk])

    def delete_model(self, request, obj):
        self._record_deletions(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._record_deletions(request, list(queryset))
        super().delete_queryset(request, queryset)


def user_on_record(user, records: list[str]) -> str:
    """Why a user the site's records name is kept (deactivated, not deleted)."""
    return (
        f"You cannot delete the user “{user.get_username()}” because the site's records "
        f'name them ({joined(records)}), which would then lose who did what. Untick "Active" '
        "on their page instead: they can no longer sign in, and the records keep their name."
    )


# What each flag grants on this site (Django's own help speaks only of its admin).
FLAG_HELP = {
    "is_staff": (
        "Lets this person sign in to this admin, to do here only what their groups and "
        "permissions below allow. On the site they see only the partnerships they are a "
        "member of."
    ),
    "is_superuser": (
        "Makes this person an administrator: every permission in this admin (with Staff "
        "status), and on the site every partnership, its live figures and drafts, and "
        "imports of any file."
    ),
}


def _explain_flags(form) -> None:
    for name, text in FLAG_HELP.items():
        if name in form.fields:
            form.fields[name].help_text = text


EMAIL_TAKEN = (
    "Another user already has this email address. Give each person their own: a link to "
    "choose a password is sent only to an address that one user has."
)


class OneUserAnEmail:
    """A user's form that refuses an email address another user has, in any capitals
    (`passwords.users_with_email`): its mailbox's owner would be sent the link to set the
    new account's password. It says the address is taken, not whose (a staff user may not
    be shown them). An address kept as it was is not checked again, so that two people who
    shared one before this rule can still be changed (given their own); meanwhile the
    reset sends neither a link (`PasswordResetForm.get_users`)."""

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and "email" in self.changed_data:
            others = [user for user in users_with_email(email) if user.pk != self.instance.pk]
            if others:
                raise ValidationError(EMAIL_TAKEN, code="unique")
        return email


class UserForm(OneUserAnEmail, UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _explain_flags(self)

    def clean(self):
        data = super().clean()
        # Someone without a password chooses one from a link sent to their address: taken
        # away, they could never sign in. Only an address changed is checked (one already
        # empty stays as it was), so they can still be deactivated or changed otherwise.
        emptied = "email" in self.changed_data and not data.get("email", True)
        if emptied and not self.instance.has_usable_password():
            self.add_error("email", ValidationError(EMAIL_KEPT, code="required"))
        # The instance still holds the stored flags here (the form's go on it after clean).
        stays = all(
            data.get(flag) if flag in self.fields else getattr(self.instance, flag)
            for flag in ADMINISTRATOR_FLAGS
        )
        if not stays and _removes_last_administrator([self.instance.pk]):
            raise ValidationError(LAST_ADMINISTRATOR)
        return data


# This site signs people in by password only (Django's help speaks of Single Sign-On).
NO_PASSWORD_HELP = (
    "Disabled: the person chooses their own password from a link emailed to them "
    "(“Forgotten your password?” on the sign-in page), so give their email address. "
    "To stop someone signing in, untick “Active” instead."
)


NO_EMAIL = (
    "Enter the person's email address, or set a password: without one they choose their "
    "first from a link sent to that address."
)


EMAIL_KEPT = (
    "Keep the person's email address, or set a password for them first: they have none, "
    "and would choose one from a link sent to that address."
)
NO_EMAIL_TO_DISABLE = (
    "Give the person an email address on their page first, or keep their password: "
    "disabled, it is replaced only from a link sent to that address."
)


class AddUserForm(OneUserAnEmail, AdminUserCreationForm):
    """The admin's "Add user": with the person's email address and name, so that someone
    added without a password can be sent the link to choose one (required then)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["usable_password"].help_text = NO_PASSWORD_HELP

    def clean(self):
        data = super().clean()
        no_password = data.get("set_usable_password") is False
        if no_password and not data.get("email") and "email" not in self.errors:
            self.add_error("email", ValidationError(NO_EMAIL, code="required"))
        return data


# The membership a staff user who is not an administrator gives each person they add.
MEMBERSHIP_ADDED = ("partnership", "organisation", "role", "job_title")


class AddMemberForm(PlainTextMixin, AddUserForm):
    """The admin's "Add user" for a staff user who is not an administrator: the person
    joins one of the partnerships the staff user edits as they are added (``partnerships``),
    since the admin shows such a staff user only their partnerships' people."""

    partnerships = Partnership.objects.none()
    partnership = forms.ModelChoiceField(Partnership.objects.none())
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        widget=AutocompleteSelect(Membership._meta.get_field("organisation"), admin.site),
    )
    role = Membership._meta.get_field("role").formfield()
    job_title = Membership._meta.get_field("job_title").formfield()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = self.partnerships

    def membership_save(self) -> Membership:
        """The person's membership, once the person is saved."""
        return Membership.objects.create(
            user=self.instance, **{name: self.cleaned_data[name] for name in MEMBERSHIP_ADDED}
        )


class PasswordForm(AdminPasswordChangeForm):
    """The admin's "Change password", which cannot disable the password of the last
    administrator, nor of someone without an email address (to send them the link to
    choose another), and says which box is empty."""

    # Django's warning, shown by its script when "Disabled" is chosen, keeps its id.
    usable_password_help_text = NO_PASSWORD_HELP + (
        '<ul id="id_unusable_warning" class="messagelist"><li class="warning">'
        "If disabled, the current password for this user will be lost.</li></ul>"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].error_messages["required"] = "Enter a new password"
        self.fields["password2"].error_messages["required"] = "Enter the new password again"

    def clean(self):
        data = super().clean()
        disables = data.get("set_usable_password") is False
        # Django's template shows only the fields' errors: these are the choice's.
        if disables and _removes_last_administrator([self.user.pk]):
            self.add_error("usable_password", LAST_ADMINISTRATOR)
        elif disables and not self.user.email.strip():
            self.add_error("usable_password", NO_EMAIL_TO_DISABLE)
        return data


admin.site.unregister(User)
# What only an administrator sets on a user's page: anyone else who could would make
# themselves one, or give themselves any permission.
ADMINISTRATORS_ONLY = ["is_staff", "is_superuser", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(NamesOldAndNew, RefusesDeletion, DjangoUserAdmin):
    """Django's user admin, which never leaves the site without an administrator, nor
    deletes anyone the site's records name. To a staff user who is not an administrator it
    shows only the people `permissions.users_administered`, lets them change only those
    `permissions.user_changeable_by`, never their flags or permissions (they would make
    themselves an administrator), and adds people to their partnerships only."""

    form = UserForm
    add_form = AddUserForm
    # Who can sign in, and who administers every partnership, at a glance.
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_staff",
        "is_superuser",
    ]
    change_password_form = PasswordForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "first_name",
                    "last_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return permissions.users_administered(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        allowed = permissions.administered_partnership_ids(request.user)
        return super().has_add_permission(request) and allowed != set()

    def has_change_permission(self, request, obj=None):
        may = super().has_change_permission(request, obj)
        return may and (obj is None or permissions.user_changeable_by(obj, request.user))

    def has_delete_permission(self, request, obj=None):
        may = super().has_delete_permission(request, obj)
        return may and (obj is None or permissions.user_changeable_by(obj, request.user))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is None or permissions.is_site_admin(request.user):
            return fields
        return [*fields, *ADMINISTRATORS_ONLY]

    def get_list_filter(self, request):
        # Django's "By group" names every group: for administrators only (`GroupAdmin`).
        filters = super().get_list_filter(request)
        if permissions.is_site_admin(request.user):
            return filters
        return [item for item in filters if item != "groups"]

    def lookup_allowed(self, lookup, value, request=None):
        # Nor by a group's id typed into the address: who belongs to which is theirs too.
        if lookup.split(LOOKUP_SEP)[0] == "groups" and not (
            request is not None and permissions.is_site_admin(request.user)
        ):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None and not permissions.is_site_admin(request.user):
            return [*fieldsets, ("Membership", {"fields": MEMBERSHIP_ADDED})]
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not permissions.is_site_admin(request.user):
            partnerships = in_administered_partnerships(
                Partnership.objects.order_by("name"), request.user, "pk"
            )
            kwargs["form"] = type("AddMemberForm", (AddMemberForm,), {"partnerships": partnerships})
        return super().get_form(request, obj, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if isinstance(form, AddMemberForm):
            self.log_addition(request, form.membership_save(), [{"added": {}}])

    def deletion_refusals(self, users):
        ids = [user.pk for user in users]
        if _removes_last_administrator(ids):
            return [LAST_ADMINISTRATOR]
        named = selectors.users_on_record(ids)
        return [user_on_record(user, named[user.pk]) for user in users if user.pk in named]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Django's group admin, for administrators only: anyone else who could give a group
    permissions would give them to themselves, through a group they belong to (and only an
    administrator sets who belongs to which: `ADMINISTRATORS_ONLY`)."""

    def has_view_permission(self, request, obj=None):
        return permissions.is_site_admin(request.user)

    def has_add_permission(self, request):
        return permissions.is_site_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_site_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_site_admin(request.user)


def _box(widget: forms.Widget) -> forms.Widget:
    """The widget that draws the box, inside the admin's wrapper (which adds the add and
    change links beside it): its own attributes are those the box is drawn with."""
    while isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    return widget


# The width of an inline row's autocomplete box: that of the table's other selects
# (static/css/admin.css), given to select2, which otherwise measures each box as it draws
# it, a layout of the whole page for each (bench/admin_page_bench.py).
ROW_BOX_WIDTH = "12em"


class RowAutocomplete(AutocompleteSelect):
    """An inline row's autocomplete box, which names the row chosen from ``chosen`` (read
    with the inline's rows: `TableInline`) where Django's reads it again, a query for each
    box of each row. It is drawn ``ROW_BOX_WIDTH`` wide; a box its row may not change (a
    member's person) is a plain select of the one row, which the admin's script leaves as
    it is (select2 would draw it greyed out, to choose nothing)."""

    chosen: Model | None = None

    def build_attrs(self, base_attrs, extra_attrs=None):
        if extra_attrs and extra_attrs.get("disabled"):
            return forms.Select.build_attrs(self, base_attrs, extra_attrs)
        return {**super().build_attrs(base_attrs, extra_attrs), "data-width": ROW_BOX_WIDTH}

    def optgroups(self, name, value, attr=None):
        chosen = self.chosen
        values = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        key = None if chosen is None else getattr(chosen, self.field.target_field.attname)
        if values != [str(key)]:  # another row chosen in a form sent back with errors
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(chosen)
        options.append(self.create_option(name, key, label, True, len(options)))
        return [(None, options, 0)]


class RowsFormSet(BaseInlineFormSet):
    """The rows of an inline laid out as a table (`TableInline`). A column heading labels
    no box, so each box is named for its column and row, "Name, theme group 2" ("Name, new
    theme group" in the row the admin's script copies to add one). Django reads each
    select's choices again for each row: they are read once, every row offering the same
    (as the inline's ``formfield_for_foreignkey`` makes them)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # A row's name (the table's first column) may name its partnership, say: the
        # page's own row, not read again for each (Django sets its key only).
        setattr(form.instance, self.fk.name, self.instance)
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        noun = self.model._meta.verbose_name
        row = f"new {noun}" if index is None else f"{noun} {index + 1}"
        for name, field in form.fields.items():
            box = _box(field.widget)
            if box.is_hidden:
                continue
            box.attrs["aria-label"] = f"{capfirst(field.label or pretty_name(name))}, {row}"
            if isinstance(box, RowAutocomplete):
                box.chosen = form.instance._state.fields_cache.get(name)
            elif isinstance(field, forms.ModelChoiceField):
                field.choices = self._choices_read_once(name, field)

    def _choices_read_once(self, name: str, field: forms.ModelChoiceField) -> list:
        read = self.__dict__.setdefault("_choices_read", {})
        if name not in read:
            read[name] = list(iter(field.choices))  # list() would count them first: a query
        return read[name]


class TableInline(admin.TabularInline):
    """An inline laid out as a table, its boxes named by column and row, its selects'
    choices and autocomplete boxes' chosen rows read once for all its rows (`RowsFormSet`;
    a formset of its own derives from it). An inline with autocomplete boxes reads their
    rows with its own in ``get_queryset``. Past ``rows_listed`` rows (if set) its model
    admin (`ListsManyRowsElsewhere`) links to them in their own list instead."""

    formset = RowsFormSet
    rows_listed: int | None = None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        autocomplete = db_field.name in self.get_autocomplete_fields(request)
        if autocomplete and "widget" not in kwargs:
            kwargs["widget"] = RowAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def theme_group_in_use(group: ThemeGroup, uses: list[str]) -> str:
    """Why a theme group that anything still belongs to is kept."""
    return (
        f"You cannot delete the theme group “{group.name}” because it still has "
        f"{joined(uses)}: move them to another theme group, or delete them, first."
    )


def theme_groups_kept(groups: list[ThemeGroup]) -> list[str]:
    """Why each of these theme groups cannot be deleted, for those that cannot: deleted, a
    group would leave its indicators, lines, plans, risks and meetings in no group, and
    an issue affecting only it affecting every group."""
    in_use = selectors.theme_groups_in_use([group.pk for group in groups])
    return [theme_group_in_use(group, in_use[group.pk]) for group in groups if group.pk in in_use]


def theme_group_named_twice(first: str) -> str:
    """Why a partnership's page cannot give two rows one theme group's name."""
    return (
        f"Another row already names the theme group “{first}”: give each theme group one "
        "row, with names that differ by more than capitals and spaces."
    )


class ThemeGroupFormSet(RowsFormSet):
    def clean(self):
        super().clean()
        self._refuse_names_given_twice()
        deleted = [
            form.instance
            for form in self.forms
            if form.instance.pk is not None and self._should_delete_form(form)
        ]
        refusals = theme_groups_kept(deleted) if deleted else []
        if refusals:
            raise ValidationError(refusals)

    def _refuse_names_given_twice(self) -> None:
        # Each row's own check (ThemeGroup.clean) compares it with the groups stored, not
        # with the other rows of the page, which are saved together (a new partnership's
        # all at once): two of them in one name's capitals would break the constraint.
        first_named: dict[str, str] = {}
        for form in self.forms:
            name = getattr(form, "cleaned_data", {}).get("name")
            if not name or self._should_delete_form(form):
                continue
            key = theme_group_key(name)
            if key in first_named:
                form.add_error("name", theme_group_named_twice(first_named[key]))
            else:
                first_named[key] = name


def _inline_prefix(inline, fk) -> str:
    """The prefix of an inline's boxes, as its formset names them (Django's default)."""
    return fk.remote_field.get_accessor_name(model=inline.model).replace("+", "")


class ListsManyRowsElsewhere:
    """A model admin whose change page shows an inline of more than its ``rows_listed``
    rows (`TableInline`) as a link to them in their own list, filtered to the row shown:
    each row's boxes add to the time the browser takes to draw the page
    (bench/admin_page_bench.py). A page sent back with an inline's rows saves them, though
    they became many meanwhile. The rows are counted as the row shown is read."""

    def _limited(self) -> list[tuple[type[TableInline], Model]]:
        """Each inline with a limit, and its foreign key to this admin's model."""
        return [
            (inline, _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name))
            for inline in self.inlines
            if getattr(inline, "rows_listed", None) is not None
        ]

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        match, opts = request.resolver_match, self.opts
        if match is None or match.url_name != f"{opts.app_label}_{opts.model_name}_change":
            return rows
        counts = {}
        for inline, fk in self._limited():
            of_row = inline.model._default_manager.filter(**{fk.name: OuterRef("pk")})
            counted = of_row.order_by().values(fk.name).annotate(n=Count("pk")).values("n")
            counts[f"_rows_{inline.model._meta.model_name}"] = Coalesce(Subquery(counted), 0)
        return rows.annotate(**counts)

    def _rows_of(self, obj, inline, fk) -> int:
        name = f"_rows_{inline.model._meta.model_name}"
        if getattr(obj, name, None) is None:  # read otherwise than by get_queryset
            setattr(obj, name, inline.model._default_manager.filter(**{fk.name: obj}).count())
        return getattr(obj, name)

    def _listed_elsewhere(self, request, obj) -> list[tuple[type[TableInline], Model]]:
        if obj is None:
            return []
        if request.method == "POST":  # as the page sent was drawn: with its rows or not
            return [
                (inline, fk)
                for inline, fk in self._limited()
                if f"{_inline_prefix(inline, fk)}-TOTAL_FORMS" not in request.POST
            ]
        return [
            (inline, fk)
            for inline, fk in self._limited()
            if self._rows_of(obj, inline, fk) > inline.rows_listed
        ]

    def get_inlines(self, request, obj):
        elsewhere = {inline for inline, _ in self._listed_elsewhere(request, obj)}
        return [inline for inline in super().get_inlines(request, obj) if inline not in elsewhere]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        links = []
        for inline, fk in self._listed_elsewhere(request, obj):
            opts = inline.model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            query = urlencode({f"{fk.name}__{fk.target_field.name}__exact": obj.pk})
            count = self._rows_of(obj, inline, fk)
            noun = opts.verbose_name if count == 1 else opts.verbose_name_plural
            rows_admin = self.admin_site._registry.get(inline.model)
            may_change = rows_admin is not None and rows_admin.has_change_permission(request)
            see = "See and change" if may_change else "See"
            links.append(
                {
                    "title": capfirst(opts.verbose_name_plural),
                    "url": f"{url}?{query}",
                    "text": f"{see} its {count} {noun}",
                }
            )
        context["rows_listed_elsewhere"] = links
        return super().render_change_form(request, context, add, change, form_url, obj)


class ThemeGroupInline(TableInline):
    form = PlainTextModelForm
    model = ThemeGroup
    formset = ThemeGroupFormSet
    extra = 0
    fields = ["name", "chair", "coordinator"]


# Whose membership of which partnership a row is: fixed once it is made. Actions name
# their lead by membership: moved to another partnership, a lead would no longer be one of
# their partnership's members (and their action could not be saved again); given to
# another person, every action they lead would silently change hands. Made wrong, a
# membership is deleted and added again.
MEMBERSHIP_FIXED = ["user", "partnership"]


class MembershipInlineForm(PlainTextModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in MEMBERSHIP_FIXED:
            if self.instance.pk is not None and name in self.fields:
                field = self.fields[name]
                field.disabled = True
                # Shown and kept as it is, though the box would not offer it (an
                # administrator, to a staff user).
                field.queryset = field.queryset.model._default_manager.filter(
                    pk=getattr(self.instance, f"{name}_id")
                )


# How many of a partnership's members, or meetings, its page shows as rows to change: more,
# and it links to them in their own list (`ListsManyRowsElsewhere`).
MANY_ROWS = 30


class MembershipInline(OffersAdministeredRows, TableInline):
    model = Membership
    form = MembershipInlineForm
    extra = 0
    rows_listed = MANY_ROWS
    autocomplete_fields = ["user", "organisation"]
    fields = ["user", "organisation", "role", "job_title"]

    def get_queryset(self, request):
        # Each row's boxes name its person and organisation, and its first column the
        # membership by its person's name: read with the rows, not a row at a time.
        return super().get_queryset(request).select_related("user", "organisation")


class MeetingInline(TableInline):
    model = Meeting
    form = PlainTextModelForm
    extra = 0
    rows_listed = MANY_ROWS
    fields = ["date", "kind", "title", "theme_group", "location"]
    ordering = ["-date"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The partnership's own theme groups: not every group in the country, in every
        # meeting's row.
        if db_field.name == "theme_group":
            partnership_id = object_id_of(request)
            groups = ThemeGroup.objects.order_by("name")
            kwargs["queryset"] = (
                groups.filter(partnership_id=partnership_id) if partnership_id else groups.none()
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "theme_group":
            # By name alone: the page is the partnership's (its own name, in brackets,
            # would repeat it in every meeting's row and widen the table past the screen).
            field.label_from_instance = attrgetter("name")
        return field


def partnerships_kept(partnerships: list[Partnership]) -> list[str]:
    """Why each of these partnerships cannot be deleted, for those that cannot: deleted,
    one would take its figures, targets and the histories of its changes with it, which
    the admin deletes for no one."""
    kept = selectors.partnerships_kept([p.pk for p in partnerships])
    return [
        f"{p.name} has figures and history, so it is kept: figures, targets and the "
        f"history of changes are never deleted, and it has {joined(kept[p.pk])}."
        for p in partnerships
        if p.pk in kept
    ]


# The admin's scripts that fill a slug from a name as it is typed.
SLUG_SCRIPTS = ("admin/js/urlify.js", "admin/js/prepopulate.js", "admin/js/vendor/xregexp/")


@admin.register(Partnership)
class PartnershipAdmin(
    AsksAgainAfterARace,
    ListsManyRowsElsewhere,
    InAdministeredPartnerships,
    NamesOldAndNew,
    RefusesDeletion,
    admin.ModelAdmin,
):
    form = PlainTextModelForm
    partnership_path = "pk"  # a partnership is its own
    list_display = ["name", "area", "police_force", "population", "fy_start_month"]
    list_filter = ["police_force"]
    search_fields = ["name", "area", "police_force", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeGroupInline, MembershipInline, MeetingInline]

    def get_readonly_fields(self, request, obj=None):
        # Every link to the partnership's pages holds its slug, published reports' too, and
        # imports find it by it: fixed once it is made.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if obj is None else {}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if not self.get_prepopulated_fields(request, obj):
            # A change page has no slug to fill (it is fixed once made): Django's scripts
            # that would fill it, xregexp the largest, are left out, which the browser
            # would read for nothing (bench/admin_page_bench.py).
            media = context["media"]
            scripts = [js for js in media._js if not str(js).startswith(SLUG_SCRIPTS)]
            context["media"] = forms.Media(css=media._css, js=scripts)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def deletion_refusals(self, partnerships):
        return partnerships_kept(partnerships)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "rag_legend":  # not Django's bare "Enter a valid JSON."
            field.error_messages["invalid"] = (
                f"The RAG legend is not written right. {RAG_LEGEND_EXAMPLE}"
            )
        return field


@admin.register(ThemeGroup)
class ThemeGroupAdmin(
    AsksAgainAfterARace, InAdministeredPartnerships, RefusesDeletion, admin.ModelAdmin
):
    form = PlainTextModelForm
    list_display = ["name", "partnership", "chair", "coordinator"]
    list_filter = ["partnership"]
    search_fields = ["name", "partnership__name", "chair", "coordinator"]
    list_select_related = ["partnership"]

    def get_readonly_fields(self, request, obj=None):
        # A group's indicators, plans, reports and meetings belong to its partnership:
        # moved to another, it would take them across. Made in the wrong one, it is
        # deleted and added again.
        return ["partnership"] if obj is not None else []

    def deletion_refusals(self, groups):
        return theme_groups_kept(groups)


@admin.register(Organisation)
class OrganisationAdmin(RefusesDeletion, admin.ModelAdmin):
    form = PlainTextModelForm
    list_display = ["name", "kind", "statutory"]
    list_filter = ["kind", "statutory"]
    search_fields = ["name"]

    def deletion_refusals(self, organisations):
        # Counted in one query, not listed: Django's page would read each member and
        # their partnership (a query apiece), and name other partnerships' people.
        counts = counts_naming(Membership.objects.all(), "organisation", organisations)
        return [
            f"{counted(counts[organisation.pk], 'membership')} of partnerships "
            f"{'names' if counts[organisation.pk] == 1 else 'name'} {organisation.name} as "
            "the member's organisation: change the organisation of each first (in "
            "Memberships, filtered by this organisation)."
            for organisation in organisations
            if organisation.pk in counts
        ]


@admin.register(Membership)
class MembershipAdmin(OffersOwnPartnerships, NamesOldAndNew, admin.ModelAdmin):
    form = PlainTextModelForm
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

    def get_readonly_fields(self, request, obj=None):
        return MEMBERSHIP_FIXED if obj is not None else []


@admin.register(Meeting)
class MeetingAdmin(OffersOwnPartnerships, OwnThemeGroups, admin.ModelAdmin):
    form = PlainTextModelForm
    list_display = ["title", "date", "kind", "partnership", "theme_group", "location"]
    list_filter = ["kind", "partnership"]
    search_fields = ["title", "location", "partnership__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["partnership", "theme_group"]
    list_select_related = ["partnership", "theme_group__partnership"]
