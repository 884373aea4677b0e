"""Factories for the actions app: plans, objectives, actions, risks, issues, recommendations."""

import datetime

import factory

from actions.models import (
    Action,
    ActionPlan,
    CrossThemeIssue,
    Objective,
    Recommendation,
    Risk,
)
from tests.factories import PartnershipFactory


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Action plan {n}")
    financial_year = 2016


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Objective {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    objective = factory.SubFactory(ObjectiveFactory)
    plan = factory.SelfAttribute("objective.plan")
    reference = factory.Sequence(lambda n: f"1.{n + 1}")
    description = factory.Sequence(lambda n: f"Action {n}")
    lead_text = "Somewhere Police"
    due = datetime.date(2016, 9, 30)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    partnership = factory.SubFactory(PartnershipFactory)
    reference = factory.Sequence(lambda n: f"R{n + 1}")
    description = factory.Sequence(lambda n: f"Risk {n}")
    likelihood = 3
    impact = 3


class CrossThemeIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrossThemeIssue

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Issue {n}")
    issue = "Something that affects other theme groups"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    partnership = factory.SubFactory(PartnershipFactory)
    reference = factory.Sequence(lambda n: f"REC-{n + 1}")
    meeting_date = datetime.date(2016, 12, 1)
    recommendation = factory.Sequence(lambda n: f"Recommendation {n}")
    assigned_to = "Community Safety Manager"
