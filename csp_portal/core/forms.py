from django import forms


class PartnershipSearchForm(forms.Form):
    q = forms.CharField(
        label="Search partnerships",
        help_text="Part of a partnership's name or area",
        required=False,
        max_length=100,
        strip=True,
    )
