"""factory-boy factories for every model; `build()` where no database is needed."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import User

from commissioning.models import CommissioningLine, FundingStream, ProgressOutput, ProgressUpdate
from csp_portal.core.models import Meeting, Membership, Organisation, Partnership, ThemeGroup
from indicators.models import Actual, Indicator, Target


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-for-tests-1")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.LOCAL_AUTHORITY
    statutory = True


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    area = "Somewhere"
    police_force = "Somewhere Police"
    population = 250_000


class ThemeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeGroup

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    chair = "Chair of the theme group"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OFFICER


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Meeting.Kind.SCRUTINY_PANEL
    title = factory.Sequence(lambda n: f"Scrutiny panel {n}")
    date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    location = "Council House"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    partnership = factory.SubFactory(PartnershipFactory)
    theme_group = factory.SubFactory(
        ThemeGroupFactory, partnership=factory.SelfAttribute("..partnership")
    )
    code = factory.Sequence(lambda n: f"IND {n}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "crimes"
    polarity = Indicator.Polarity.LOWER
    measure = Indicator.Measure.COUNT
    frequency = Indicator.Frequency.MONTHLY


class ActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actual

    indicator = factory.SubFactory(IndicatorFactory)
    period = datetime.date(2016, 4, 1)
    value = Decimal(100)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    financial_year = 2016
    kind = Target.Kind.ANNUAL
    value = Decimal(1000)


class ReportFactory(factory.django.DjangoModelFactory):
    """A draft report to November 2016 for a scrutiny panel; publish it with the service."""

    class Meta:
        model = "reports.Report"

    partnership = factory.SubFactory(PartnershipFactory)
    period = datetime.date(2016, 11, 1)
    title = factory.Sequence(lambda n: f"Performance update {n}")
    meeting_kind = Meeting.Kind.SCRUTINY_PANEL
    meeting_date = datetime.date(2017, 1, 24)


class FundingStreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingStream

    partnership = factory.SubFactory(PartnershipFactory)
    financial_year = 2017
    source = factory.Sequence(lambda n: f"Grant {n}")
    amount = Decimal("400568.00")


class CommissioningLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissioningLine

    partnership = factory.SubFactory(PartnershipFactory)
    financial_year = 2017
    reference = factory.Sequence(lambda n: f"CI {n:02d}")
    area_of_need = factory.Sequence(lambda n: f"Area of need {n}")
    recommendation = "Continue to commission"
    funding_stream = factory.SubFactory(
        FundingStreamFactory,
        partnership=factory.SelfAttribute("..partnership"),
        financial_year=factory.SelfAttribute("..financial_year"),
    )
    contribution_status = CommissioningLine.Contribution.AMOUNT
    contribution = Decimal("10000.00")
    status = CommissioningLine.Status.PROPOSED


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    line = factory.SubFactory(CommissioningLineFactory)
    date = datetime.date(2017, 9, 30)
    text = "Going well."


class ProgressOutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressOutput

    update = factory.SubFactory(ProgressUpdateFactory)
    label = "Clients supported"
    value = Decimal(23)
