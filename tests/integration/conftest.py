"""Integration-test settings shared by every file in this folder."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 takes about 0.3 s a hash and every user fixture hashes a password; the
    # integration tests check access rules, not hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_report_documents(settings):
    # Making a report's PDF and Word files drives a browser for its charts (seconds each);
    # tests that need them switch this on (or stand in a renderer).
    settings.REPORTS_MAKE_DOCUMENTS = False


@pytest.fixture
def report_a(partnership_a):
    """A published report of partnership A (version 1), frozen when the fixture is made,
    with stand-in PDF and Word bytes."""
    from reports import services
    from reports.models import ReportVersion
    from tests.factories import ReportFactory

    report = ReportFactory(partnership=partnership_a, title="Published update")
    version = services.report_publish(report=report, by=None).version
    ReportVersion.objects.filter(pk=version.pk).update(pdf=b"%PDF-1.7 test", docx=b"PK test")
    return report


@pytest.fixture
def draft_a(partnership_a):
    """A draft report of partnership A, never published."""
    from tests.factories import ReportFactory

    return ReportFactory(partnership=partnership_a, title="Secret draft title")


@pytest.fixture
def funding_stream_a(partnership_a):
    from tests.factories import FundingStreamFactory

    return FundingStreamFactory(
        partnership=partnership_a, financial_year=2017, source="PCC grant", amount=400568
    )


@pytest.fixture
def commissioning_line_a(funding_stream_a):
    from tests.factories import CommissioningLineFactory

    return CommissioningLineFactory(
        partnership=funding_stream_a.partnership,
        funding_stream=funding_stream_a,
        reference="CI 01",
        contribution=110000,
        total_budget=501753,
    )


@pytest.fixture
def progress_update_a(commissioning_line_a):
    from tests.factories import ProgressOutputFactory, ProgressUpdateFactory

    update = ProgressUpdateFactory(line=commissioning_line_a)
    ProgressOutputFactory(update=update, label="Clients supported", value=23)
    return update


@pytest.fixture
def police_import_a(partnership_a):
    from opendata.models import PoliceImport

    return PoliceImport.objects.create(
        partnership=partnership_a, files=["2024-01-test-street.csv"], report={}
    )


# Objects of partnership A for the actions app's URLs (test_permissions.py rows).


@pytest.fixture
def action_plan_a(partnership_a):
    from tests.factories.actions import ActionPlanFactory

    return ActionPlanFactory(partnership=partnership_a, title="Plan of partnership A")


@pytest.fixture
def objective_a(action_plan_a):
    from tests.factories.actions import ObjectiveFactory

    return ObjectiveFactory(plan=action_plan_a)


@pytest.fixture
def action_a(action_plan_a):
    from tests.factories.actions import ActionFactory, ObjectiveFactory

    return ActionFactory(objective=ObjectiveFactory(plan=action_plan_a), reference="1.1")


@pytest.fixture
def risk_a(partnership_a):
    from tests.factories.actions import RiskFactory

    return RiskFactory(partnership=partnership_a)


@pytest.fixture
def cross_theme_issue_a(partnership_a):
    from tests.factories.actions import CrossThemeIssueFactory

    return CrossThemeIssueFactory(partnership=partnership_a)


@pytest.fixture
def recommendation_a(partnership_a):
    from tests.factories.actions import RecommendationFactory

    return RecommendationFactory(partnership=partnership_a)


# A stand-in for the report's PDF and Word renderer (the real one is tested on its own).
class FakeDocuments:
    """Records what the publisher passes; returns fixed bytes."""

    def __init__(self):
        self.calls = []

    def chart_images(self, charts):
        self.calls.append(("charts", sorted(charts)))
        return {chart_id: b"png" for chart_id in charts}

    def render_pdf(self, html, *, title, charts, images=None, author="", **properties):
        self.calls.append(("pdf", title))
        return b"%PDF-1.7 " + title.encode()

    def render_docx(self, html, *, title, charts, images=None, author="", **properties):
        self.calls.append(("docx", title))
        return b"PK docx " + title.encode()


@pytest.fixture
def fake_documents(monkeypatch, settings):
    import sys

    import reports

    settings.REPORTS_MAKE_DOCUMENTS = True

    fake = FakeDocuments()
    monkeypatch.setitem(sys.modules, "reports.documents", fake)
    monkeypatch.setattr(reports, "documents", fake, raising=False)
    return fake


@pytest.fixture
def officer_client(client, officer_a, partnership_a):
    """Partnership A's officer signed in, with its indicator HC 01 to import figures of."""
    from tests.factories import IndicatorFactory

    IndicatorFactory(partnership=partnership_a, code="HC 01")
    client.force_login(officer_a)
    return client
