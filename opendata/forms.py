from django import forms

from indicators.forms import MultipleFileField, MultipleFileInput

MAX_UPLOAD = 200 * 1024 * 1024
# The ONS lookup for all of England and Wales is a few megabytes.
MAX_WARD_LOOKUP = 50 * 1024 * 1024


class StreetUploadForm(forms.Form):
    files = MultipleFileField(
        label="Street-level files",
        widget=MultipleFileInput(attrs={"accept": ".csv"}),
        error_messages={"required": "Choose at least one police.uk street-level file."},
        help_text="One or more files named like 2024-01-devon-and-cornwall-street.csv, "
        "as downloaded from data.police.uk.",
    )
    dry_run = forms.BooleanField(
        label="Check the files and show what would change, without saving", required=False
    )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        for upload in uploads:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(f"{upload.name} is larger than 200 MB.")
            if not upload.name.lower().endswith(".csv"):
                raise forms.ValidationError(f"{upload.name} is not a CSV file.")
        return uploads


class WardLookupForm(forms.Form):
    file = forms.FileField(
        label="LSOA to ward lookup",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
        error_messages={"required": "Choose a CSV file of LSOAs and their wards."},
        help_text="A CSV with a header row: the ONS lookup (columns such as LSOA21CD, "
        "WD24CD, WD24NM) or the columns LSOA code, ward code, ward name.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WARD_LOOKUP:
            raise forms.ValidationError(f"{upload.name} is larger than 50 MB.")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(f"{upload.name} is not a CSV file.")
        return upload
