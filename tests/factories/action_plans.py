"""A plan of many actions in bulk, each linked to indicators with figures (query counts, bench)."""

import datetime

from actions.models import Action, ActionPlan, ActionUpdate, Objective

from .series import indicators_with_history

STATUSES = ("red", "amber", "green", "not_started")


def plan_with_actions(partnership, count: int, *, indicators: int = 5) -> ActionPlan:
    """A 2016/17 plan of ``count`` actions in 10 objectives, each action linked to two of
    ``indicators`` indicators (24 months of figures to November 2016) with one update."""
    linked = indicators_with_history(partnership, indicators, last=datetime.date(2016, 11, 1))
    plan = ActionPlan.objects.create(
        partnership=partnership, title=f"Plan of {count}", financial_year=2016
    )
    objectives = Objective.objects.bulk_create(
        Objective(plan=plan, number=n + 1, title=f"Objective {n + 1}") for n in range(10)
    )
    actions = Action.objects.bulk_create(
        Action(
            plan=plan,
            objective=objectives[n % 10],
            reference=f"{n % 10 + 1}.{n // 10 + 1}",
            description=f"Action number {n}",
            lead_text=f"Lead {n % 7}",
            due=datetime.date(2016, 4, 1) + datetime.timedelta(days=n),
            status=STATUSES[n % 4],
            latest_update=f"Update {n}",
            updated_on=datetime.date(2016, 11, 1),
        )
        for n in range(count)
    )
    Action.indicators.through.objects.bulk_create(
        Action.indicators.through(action_id=a.pk, indicator_id=linked[(n + k) % indicators].pk)
        for n, a in enumerate(actions)
        for k in range(2)
    )
    ActionUpdate.objects.bulk_create(
        ActionUpdate(action=a, date=a.updated_on, status=a.status, text=a.latest_update)
        for a in actions
    )
    return plan
