"""Integration-test settings shared by every file in this folder."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 takes about 0.3 s a hash and every user fixture hashes a password; the
    # integration tests check access rules, not hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def police_import_a(partnership_a):
    from opendata.models import PoliceImport

    return PoliceImport.objects.create(
        partnership=partnership_a, files=["2024-01-test-street.csv"], report={}
    )
