"""The standard caution an indicator gets when it has no interpretation note of its own
(reports/builder.py `_caution`)."""

import pytest

from indicators.models import Indicator
from reports.builder import _caution

RECORDING = "may reflect better recording"
DEMAND = "measures demand on the police"


@pytest.mark.parametrize(
    ("title", "unit", "expected"),
    [
        ("Police recorded hate crime", "hate crimes", RECORDING),
        ("Racially or religiously aggravated crime", "crimes", RECORDING),
        ("Domestic abuse crimes", "crimes", RECORDING),
        ("Rape and serious sexual offences", "offences", RECORDING),
        # What a measure leaves out is not what it counts.
        ("Violence with injury (excluding domestic abuse)", "crimes", DEMAND),
        ("Violence against the person excluding domestic abuse", "offences", DEMAND),
        (
            "Violence (excluding domestic abuse, sexual offences and hate crime)",
            "offences",
            DEMAND,
        ),
        ("Domestic-abuse related crimes", "crimes", RECORDING),
        # A domestic burglary is a burglary, not domestic abuse.
        ("Domestic burglary", "domestic burglaries", ""),
        ("Overall crime", "crimes", DEMAND),
        ("Reduce anti-social behaviour incidents", "incidents", "not crimes"),
        # Referrals to a service are not crimes.
        ("Increase referrals to domestic abuse services", "referrals", ""),
    ],
)
def test_each_indicator_gets_the_caution_its_words_call_for(title, unit, expected):
    caution = _caution(Indicator(title=title, unit=unit))
    assert (expected in caution) if expected else caution == ""


def test_an_indicators_own_note_wins():
    indicator = Indicator(title="Hate crime", interpretation_note="Counted by the council.")
    assert _caution(indicator) == "Counted by the council."
