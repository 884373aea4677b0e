"""Text typed on the site was stored with the browser's line ends, "\r\n"; the site now
stores "\n" (csp_portal.core.forms.PlainTextMixin), and this makes a draft report's text
stored before so too ("\r\n" and a lone "\r", old Macs). Published versions are left as
they were published."""

from django.db import migrations
from django.db.models import F, Q, Value
from django.db.models.functions import Replace

TEXTS = [
    "executive_summary",
    "recommendations",
    "background_papers",
    "other_terms",
    "risks",
    "issues_for_others",
    "scrutiny_recommendations",
    "introduction",
]
# Texts by theme group, indicator or member; implications, each a text and an officer.
BY_KEY = ["successes", "focus", "editor_comments", "news", "implications"]


def _plain(value):
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def one_line_end(apps, schema_editor) -> None:
    report_model = apps.get_model("reports", "Report")
    for name in TEXTS:
        rows = report_model.objects.filter(**{f"{name}__contains": "\r"})
        rows.update(
            **{name: Replace(Replace(F(name), Value("\r\n"), Value("\n")), Value("\r"), Value("\n"))}
        )
    for report in report_model.objects.only("pk", *BY_KEY).iterator():
        changed = {
            name: _plain(getattr(report, name))
            for name in BY_KEY
            if _plain(getattr(report, name)) != getattr(report, name)
        }
        if changed:
            report_model.objects.filter(pk=report.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0011_reportversion_covered"),
    ]

    operations = [migrations.RunPython(one_line_end, migrations.RunPython.noop)]
