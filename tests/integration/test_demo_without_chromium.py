"""The demo loads on a machine without Chromium: its reports are published, their PDF and
Word files left to be made once Chromium is installed."""

import json
from pathlib import Path

import pytest

from reports import chart_images
from reports.demo import reports_load
from reports.models import ReportVersion


@pytest.mark.django_db
def test_demo_reports_publish_without_chromium_and_say_so(partnership_a, tmp_path, monkeypatch):
    monkeypatch.setattr(chart_images, "browser_path", lambda: Path("/nowhere/chromium"))
    demo = tmp_path / "reports.json"
    row = {
        "partnership": partnership_a.slug,
        "title": "An update",
        "period": "2016-11",
        "meeting": "Scrutiny panel",
        "meeting_date": "2017-01-24",
        "publish": True,
    }
    demo.write_text(json.dumps({"reports": [row]}), encoding="utf-8")

    lines = reports_load(demo)

    assert lines[0] == "Published the demo report 'An update'."
    assert "no Chromium at /nowhere/chromium" in lines[1]
    version = ReportVersion.objects.get()
    assert version.html and not version.pdf
