"""The accessibility statement: whom it asks readers to write to."""

import pytest
from django.urls import reverse

STATEMENT = "If you need information in this service in a different format"


@pytest.mark.django_db
def test_the_statement_gives_the_accessibility_contact_when_there_is_one(client, settings):
    # No view gave the template its contact: the sentence naming one could never appear.
    settings.ACCESSIBILITY_CONTACT = "access@example.gov.uk"

    page = client.get(reverse("core:accessibility")).content.decode()

    link = '<a class="govuk-link" href="mailto:access@example.gov.uk">access@example.gov.uk</a>'
    assert f"ask the coordinator of your Community Safety Partnership or email {link}." in page
    assert f"tell your partnership's coordinator or email {link}." in page


@pytest.mark.django_db
def test_without_an_accessibility_contact_the_statement_asks_the_coordinator(client, settings):
    settings.ACCESSIBILITY_CONTACT = ""

    page = client.get(reverse("core:accessibility")).content.decode()

    assert f"{STATEMENT}" in page
    assert "ask the coordinator of your Community Safety Partnership." in page
    assert "mailto:" not in page
