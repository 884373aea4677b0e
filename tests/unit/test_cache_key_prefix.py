"""Cache keys start with the code's version: a release never reads another's fragments."""

import re

from django.conf import settings

from csp_portal import settings as site_settings


def _tree(root, template: str) -> None:
    (root / "indicators").mkdir(parents=True, exist_ok=True)
    (root / "indicators" / "views.py").write_text("PAGE = 1\n")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "row.html").write_text(template)


def test_a_changed_template_gives_another_code_version(tmp_path, monkeypatch):
    monkeypatch.setattr(site_settings, "BASE_DIR", tmp_path)
    _tree(tmp_path, "<td>{{ value }}</td>")
    before = site_settings.code_version()
    assert site_settings.code_version() == before  # the same code, the same version

    _tree(tmp_path, "<td>{{ value }}%</td>")

    assert site_settings.code_version() != before


def test_the_cache_keys_start_with_the_code_version():
    assert re.fullmatch(r"[0-9a-f]{12}", settings.CACHES["default"]["KEY_PREFIX"])
