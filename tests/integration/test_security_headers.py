"""Content-Security-Policy: our own origin only, inline script only by nonce, no framing."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"

PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/accounts/login/", secure=True)
print(json.dumps({"status": response.status_code, "csp": response.get("Content-Security-Policy"),
                  "body": response.content.decode()}))
"""


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def test_csp_header_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp_portal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "a-production-like-secret-key-for-this-test-only",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_PLAIN_STATIC": "true",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    response = json.loads(result.stdout.strip().splitlines()[-1])
    assert response["status"] == 200
    policy = directives(response["csp"])
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    nonce = [s for s in policy["script-src"] if s.startswith("'nonce-")]
    assert policy["script-src"] == ["'self'", *nonce] and len(nonce) == 1
    assert policy["style-src"] == ["'self'"]
    # No third-party origin and nothing unsafe anywhere in the policy.
    sources = [source for values in policy.values() for source in values]
    assert not [s for s in sources if "unsafe" in s or "://" in s or s in {"*", "https:"}]
    # Both inline scripts of the page carry the header's nonce.
    value = nonce[0][len("'nonce-") : -1]
    assert response["body"].count(f'nonce="{value}"') == 2


@pytest.mark.django_db
def test_csp_nonce_differs_per_response_and_marks_every_inline_script(client, officer_a):
    client.force_login(officer_a)
    first, second = client.get(reverse("core:home")), client.get(reverse("core:home"))
    nonces = [
        re.search(r"'nonce-([^']+)'", r["Content-Security-Policy"]).group(1)
        for r in (first, second)
    ]
    assert nonces[0] != nonces[1]
    page = first.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline
    for attributes in inline:
        assert f'nonce="{nonces[0]}"' in attributes or 'type="application/json"' in attributes


def test_templates_have_no_inline_handlers_styles_or_unnonced_scripts():
    """What the policy would block: onclick=, style=, and <script> without src or nonce."""
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in (r"\son[a-z]+\s*=", r"\sstyle\s*=", r"<script(?![^>]*\b(src|nonce)=)[^>]*>"):
            problems += [
                f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in re.finditer(pattern, text)
            ]
    assert not problems


@pytest.mark.django_db
def test_only_the_admins_pages_let_in_inline_styles_and_never_inline_scripts(client, admin_user):
    """The admin's autocomplete boxes size themselves with inline styles, which the site's
    policy blocked; its scripts stay under the site's policy, and so does every other page."""
    client.force_login(admin_user)

    admin = directives(client.get("/admin/actions/action/add/")["Content-Security-Policy"])
    site = directives(client.get("/")["Content-Security-Policy"])

    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]
    assert site["style-src"] == ["'self'"]
    assert admin["script-src"] == ["'self'"]
    assert not [source for source in site["script-src"] if "unsafe" in source]
