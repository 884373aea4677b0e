"""Text typed on the site was stored with the browser's line ends, "\r\n": an export read
back gave it "\n", and so reported every such row changed. The site now stores "\n"
(csp_portal.core.forms.PlainTextMixin); this makes the text stored before so too ("\r\n"
and a lone "\r", old Macs). The history of changes is left as it was recorded."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Replace

APP = "indicators"
# Each model's boxes of free text, as the site's forms and the imports fill them.
TEXTS = {
    "Indicator": ["description", "interpretation_note"],
    "Actual": ["note"],
}


def _one_line_end(name: str):
    return Replace(Replace(F(name), Value("\r\n"), Value("\n")), Value("\r"), Value("\n"))


def one_line_end(apps, schema_editor) -> None:
    for model_name, names in TEXTS.items():
        model = apps.get_model(APP, model_name)
        for name in names:
            rows = model.objects.filter(**{f"{name}__contains": "\r"})
            rows.update(**{name: _one_line_end(name)})


class Migration(migrations.Migration):
    dependencies = [
        (APP, "0008_figures_agree_with_their_parts"),
    ]

    operations = [migrations.RunPython(one_line_end, migrations.RunPython.noop)]
