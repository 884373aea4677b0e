"""The standard cautions (REPORTING.md) go only with counts of recorded crimes or
incidents of their kind: not with arrests, cases, victims, outcomes, referrals,
satisfaction or shares about domestic abuse (reports/builder.py `_caution`)."""

import pytest

from indicators.models import Indicator
from reports.builder import _caution

RECORDING = "may reflect better recording"
DEMAND = "measures demand on the police"
ASB = "not crimes"
COUNT, PERCENTAGE, RATE, SNAPSHOT = (m.value for m in Indicator.Measure)


@pytest.mark.parametrize(
    ("title", "unit", "measure", "expected"),
    [
        # Counts and rates of the recorded crimes or incidents themselves keep theirs.
        ("Police recorded hate crime", "hate crimes", COUNT, RECORDING),
        ("Number of domestic violence incidents recorded by police", "incidents", COUNT, RECORDING),
        ("Increase reporting of domestic violence (crimes and incidents)", "", COUNT, RECORDING),
        ("Racially aggravated crime rate per 1,000 population", "crime rate", RATE, RECORDING),
        ("Rape", "rapes", COUNT, RECORDING),
        ("Anti-social behaviour incidents per 1,000 population", "ASB rate", RATE, ASB),
        ("All recorded crime", "crimes", COUNT, DEMAND),
        # Other things counted about domestic abuse are not recorded domestic abuse.
        ("Domestic abuse arrests", "arrests", COUNT, ""),
        ("Open high-risk domestic abuse cases", "open cases", SNAPSHOT, ""),
        ("Repeat victims of domestic abuse", "repeat victim rate", PERCENTAGE, ""),
        ("Domestic abuse crimes with a positive outcome", "outcomes", COUNT, ""),
        ("Hate crimes solved", "hate crimes solved", COUNT, ""),
        ("Sexual offences charged", "offences charged", COUNT, ""),
        ("Hate crime victims satisfied with the service", "satisfaction rate", PERCENTAGE, ""),
        ("Referrals to the domestic abuse service", "referrals", COUNT, ""),
        ("Anti-social behaviour victims supported", "people", COUNT, ""),
        # A share is no count, whatever it is a share of.
        ("Domestic abuse share of violent crime", "domestic abuse crimes", PERCENTAGE, ""),
        # Nothing recorded named: an officer adds a note if one is needed.
        ("Domestic abuse", "", COUNT, ""),
    ],
)
def test_only_counts_of_recorded_crime_get_a_standard_caution(title, unit, measure, expected):
    caution = _caution(Indicator(title=title, unit=unit, measure=measure))
    assert (expected in caution) if expected else caution == ""


def test_an_officers_note_still_wins_on_any_indicator():
    indicator = Indicator(
        title="Domestic abuse arrests", unit="arrests", interpretation_note="Custody records."
    )
    assert _caution(indicator) == "Custody records."
