"""Settings read from the environment: a mistake stops start-up with a sentence naming the
variable, never a traceback, and a server others reach never inherits debugging."""

import os
import subprocess
import sys

import pytest

PROBE = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def start(**variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "IMPORT_UPLOAD_"))}
    env.update(DJANGO_SETTINGS_MODULE="csp_portal.settings", DATABASE_URL="sqlite:///:memory:")
    env.update(variables)
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)


@pytest.mark.parametrize("debug", [None, ""])
def test_a_public_host_without_debug_set_refuses_to_start(debug):
    variables = {"DJANGO_ALLOWED_HOSTS": "csp.example.gov.uk,localhost"}
    if debug is not None:
        variables["DJANGO_DEBUG"] = debug  # blank, as an env file may leave it
    result = start(**variables)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS names csp.example.gov.uk but DJANGO_DEBUG is not set" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "variables",
    [
        {},  # development: nothing set
        {"DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"},
        {"DJANGO_ALLOWED_HOSTS": "csp.example.gov.uk", "DJANGO_DEBUG": "true"},
        {
            "DJANGO_ALLOWED_HOSTS": "csp.example.gov.uk",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "a-production-like-secret-key-for-this-test-only",
        },
    ],
)
def test_local_hosts_or_debug_chosen_start(variables):
    result = start(**variables)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(variables.get("DJANGO_DEBUG", "true") == "true")


@pytest.mark.parametrize(
    "name",
    [
        "DJANGO_CONN_MAX_AGE",
        "IMPORT_UPLOAD_MAX_MB",
        "IMPORT_UPLOAD_MAX_ROWS",
        "IMPORT_UPLOAD_MAX_SECONDS",
        "DJANGO_SESSION_SECONDS",
        "DJANGO_SESSION_MAX_SECONDS",
        "DJANGO_GC_THRESHOLD",
    ],
)
def test_a_number_that_is_not_one_is_named(name):
    result = start(**{name: "8h"})
    assert result.returncode != 0
    assert f"{name} must be a whole number, not '8h'" in result.stderr
    assert "invalid literal" not in result.stderr


SITE_PROBE = (
    "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
)


@pytest.mark.parametrize(
    ("variables", "site_url"),
    [
        ({}, "http://localhost:8000"),
        ({"SITE_URL": "https://csp.example.gov.uk/"}, "https://csp.example.gov.uk"),
        (
            {
                "DJANGO_ALLOWED_HOSTS": ".example.gov.uk,csp.example.gov.uk",
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": "a-production-like-secret-key-for-this-test-only",
            },
            "https://csp.example.gov.uk",
        ),
    ],
)
def test_the_site_url_is_set_or_taken_from_the_allowed_hosts(variables, site_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SITE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="csp_portal.settings", DATABASE_URL="sqlite:///:memory:")
    env.update(variables)
    result = subprocess.run(
        [sys.executable, "-c", SITE_PROBE], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == site_url


def test_a_site_url_that_is_not_one_is_named():
    result = start(SITE_URL="csp.example.gov.uk")
    assert result.returncode != 0
    assert "SITE_URL must be the site's address, such as https://csp.example.gov.uk" in (
        result.stderr
    )
