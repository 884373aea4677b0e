"""Checks of the editor's text against the report's figures and glossary (reports/checks.py).

Snapshots are built by hand, with only what the checks read. The hate crime figures are
those the brief's report showed: 281 this year to date against 218, +63 (+29%),
improving (higher is better), while the summary and a comment said it fell.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reports import checks
from reports.models import other_terms
from reports.sections import glossary


def entry(pk, code, title, ytd, last, *, measure="count", comment="", note="", months=()):
    change = Decimal(ytd) - Decimal(last)
    pct = change / Decimal(last) * 100
    return {
        "id": pk,
        "code": code,
        "title": title,
        "measure": measure,
        "places": 1 if measure == "percentage" else 0,
        "figures": {
            "ytd": ytd,
            "ytd_last_year": last,
            "ytd_change": str(change),
            "ytd_change_pct": str(pct),
            "change_is_points": measure == "percentage",
        },
        "months": [{"this_year": value, "last_year": None} for value in months],
        "rolling": {},
        "editor_comment": comment,
        "interpretation_note": note,
    }


HATE = dict(pk=1, code="SS 01", title="Hate crime", ytd="281", last="218")
ASB = dict(pk=2, code="SP 06", title="Reduce rate of Anti-social Behaviour incidents")


def snapshot(
    *entries,
    summary=(),
    successes=(),
    terms=(),
    shown=("key_findings", "successes", "performance", "definitions"),
    risks=(),
):
    return {
        "title": "Performance update",
        "cover": {
            "priority": "",
            "executive_summary": list(summary),
            "recommendations": ["To note the update"],
            "implications": [],
            "background_papers": [],
        },
        "sections": [{"key": key} for key in shown],
        "priorities": [{"group": "Safe and Strong", "successes": list(successes), "focus": []}],
        "risks": {"risks": list(risks), "issues": [], "recommendations": []},
        "indicators": {str(e["id"]): e for e in entries},
        "definitions": {"other_terms": list(terms)},
    }


def messages(snap) -> list[str]:
    return [f"{w.where}: {w.message}" for w in checks.report_warnings(snap)]


# The seed fault: the text says hate crime fell, the figures that it rose.


def test_seed_fault_summary_is_warned_of_numbers_and_direction():
    snap = snapshot(
        entry(**HATE),
        summary=["Hate crime fell by 68 compared with last year, a 31% reduction."],
    )

    assert messages(snap) == [
        "Executive summary: 68 is not a figure the report shows for SS 01 Hate crime: the "
        "year to date is 281, 63 more than the same months last year (+29%).",
        'Executive summary: "fell" says hate crime went down, but the figures of SS 01 show '
        "it rose: the year to date is 281, 63 more than the same months last year (+29%).",
        "Executive summary: 31% is not a figure the report shows for SS 01 Hate crime: the "
        "year to date is 281, 63 more than the same months last year (+29%).",
    ]


def test_seed_fault_comment_saying_reduced_is_warned():
    snap = snapshot(entry(**HATE, comment="Reporting has reduced."))

    assert messages(snap) == [
        'Comment on SS 01 Hate crime: "reduced" says hate crime went down, but the figures of '
        "SS 01 show it rose: the year to date is 281, 63 more than the same months last year "
        "(+29%)."
    ]


def test_a_fall_named_by_the_indicators_code_is_warned():
    snap = snapshot(entry(**HATE), successes=["SS 01 is down by 63 on last year."])

    assert [w.where for w in checks.report_warnings(snap)] == ["Successes: Safe and Strong"]


def test_a_percentage_level_that_fell_is_described_in_points():
    satisfaction = entry(3, "SP 08", "Satisfaction rate", "88.5", "90", measure="percentage")
    snap = snapshot(satisfaction, summary=["The satisfaction rate rose."])

    assert messages(snap) == [
        'Executive summary: "rose" says satisfaction rate went up, but the figures of SP 08 '
        "show it fell: the year to date is 88.5%, 1.5 percentage points lower than the same "
        "months last year."
    ]


# What the figures bear out, however it is written: no warning.


@pytest.mark.parametrize(
    "text",
    [
        "Hate crime rose by 63 (+29%) in the year to date.",
        "Hate crime has risen by 63, a 29% increase.",
        "Hate crime rose by 63, a 28.9 per cent increase.",
        "More hate crimes were reported than in the same months last year.",
        "Reporting of hate crime is up by 63 on last year, which the partnership wants.",
        "There were 281 hate crimes, against 218 last year.",
        # Other periods, hopes, targets and denials are not checked against the year.
        "Hate crime fell in November.",
        "Hate crime fell this month.",
        "Hate crime fell in the last quarter.",
        "Hate crime did not fall.",
        "We want hate crime reporting to increase by 40%.",
        "The target is a 5% reduction in hate crime.",
        "Hate crime has fallen since 2014.",
        # Higher is better for hate crime: a word of polarity is no claim.
        "For hate crime higher is better.",
        # Numbers that are no figures.
        "Four groups were set up in 2016/17, and 3 campaigns ran.",
        "The £400,568 grant runs to March 2017 and funds a 12-month plan.",
        "A rate per 1,000 is given for SS 01.",
        # A rise and a fall in one breath: unsure, so nothing.
        "Hate crime rose, then fell back.",
        # Counts of something else, and a share of another total, are no figures of it.
        "Hate crime rose by 63 after 12 new reporting centres opened.",
        "Hate crime rose by 63 across 12 wards.",
        "Hate crime makes up 5% of all recorded crime.",
        "Hate crime is 2% of total crime.",
    ],
)
def test_text_the_figures_bear_out_is_not_warned(text):
    assert messages(snapshot(entry(**HATE), summary=[text])) == []


@pytest.mark.parametrize(
    ("text", "written"),
    [
        # A level: after "is", "to", "at", or before a word for what the indicator counts.
        ("There were 290 hate crimes, against 218 last year.", "290"),
        ("Hate crime is 290.", "290"),
        ("Hate crime rose to 290.", "290"),
        ("Hate crime stands at 290.", "290"),
        ("Hate crime reached 290 reports.", "290"),
        # The change in brackets after a change.
        ("Hate crime rose by 63 (31%).", "31%"),
    ],
)
def test_a_level_or_change_the_figures_do_not_show_is_warned(text, written):
    assert messages(snapshot(entry(**HATE), summary=[text])) == [
        f"Executive summary: {written} is not a figure the report shows for SS 01 Hate crime: "
        "the year to date is 281, 63 more than the same months last year (+29%)."
    ]


def _to_november(text: str) -> list[str]:
    """The warnings of a summary line in a year from April reported to November 2016."""
    snap = snapshot(entry(**HATE), summary=[text])
    snap |= {"period": "2016-11-01", "fy_start_label": "April"}
    return messages(snap)


@pytest.mark.parametrize(
    "text",
    [
        "Hate crime fell by 63 since April.",
        "Since April 2016, hate crime fell.",
        "Hate crime fell by 63 from April to November.",
        "Hate crime fell between April and November 2016.",
        "Hate crime fell (Apr-Nov).",
    ],
)
def test_the_year_to_date_named_by_its_months_is_checked(text):
    assert [m.split(" but ")[0] for m in _to_november(text)] == [
        'Executive summary: "fell" says hate crime went down,'
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Hate crime fell since May.",
        "Hate crime fell from April to October.",
        "Hate crime fell in November.",
        "Hate crime has fallen since 2014.",
        "Hate crime has fallen since April 2014.",
        "Hate crime fell from April 2015 to November 2015.",
    ],
)
def test_another_span_of_months_is_not_checked_against_the_year(text):
    assert _to_november(text) == []


def test_a_fall_of_another_indicator_in_the_same_sentence_is_its_own():
    asb = entry(**ASB, ytd="6803", last="7170")  # fell by 367
    snap = snapshot(
        entry(**HATE),
        asb,
        summary=["Hate crime rose by 63, while anti-social behaviour fell by 367 (5%)."],
    )

    assert messages(snap) == []


def test_a_comment_naming_another_indicator_is_checked_against_that_one():
    asb = entry(**ASB, ytd="6803", last="7170")
    snap = snapshot(entry(**HATE, comment="Anti-social behaviour fell, as patrols moved."), asb)

    assert messages(snap) == []


def test_a_number_matches_a_monthly_figure_of_the_indicator():
    snap = snapshot(entry(**HATE, months=["41"]), summary=["Hate crime reached 41 reports."])

    assert messages(snap) == []


def test_a_number_about_nothing_measured_is_let_be():
    snap = snapshot(entry(**HATE), summary=["The partnership trained 250 officers."])

    assert messages(snap) == []


def test_thousands_separators_and_rounding_are_tolerated():
    asb = entry(**ASB, ytd="7170", last="6803")  # +367, +5.39%
    snap = snapshot(
        asb, summary=["Anti-social behaviour rose to 7,170 incidents, up by 367 (5.4%)."]
    )

    assert messages(snap) == []


def test_text_outside_the_figures_is_not_checked_for_numbers():
    snap = snapshot(entry(**HATE), risks=["Hate crime fell by 90% in the pilot area."])

    assert messages(snap) == []


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("Police recorded hate crime", "hate crime"),
        ("Reduce Violence with Injury - Excluding Domestic Abuse", "violence with injury"),
        ("Increase reporting of Domestic Violence (Crimes and Incidents)", "domestic violence"),
        ("Reduce rate of Anti-social Behaviour incidents", "anti-social behaviour"),
        ("Reduction in anti-social behaviour", "anti-social behaviour"),
        ("Overall Crime", "overall crime"),
    ],
)
def test_an_indicator_is_named_in_a_sentence_by_its_title_without_its_aim(title, short):
    assert checks.short_title(title) == short


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1,099 fewer", [("1,099", Decimal(1099), False)]),
        ("a 31% rise", [("31%", Decimal(31), True)]),
        ("31 per cent", [("31 per cent", Decimal(31), True)]),
        ("5.4% (−25%)", [("5.4%", Decimal("5.4"), True), ("25%", Decimal(25), True)]),
        ("in 2016/17 and 2017", []),
        ("£400,568 and $12", []),
        ("SP 09 and NI 16, Q3", []),
        ("24 January, March 12", []),
        ("a 12-month plan, the 3rd, at 10:30", []),
        ("3 groups", []),
        ("per 1,000 people", []),
    ],
)
def test_numbers_in_text(text, found):
    assert [(n.written, n.value, n.percent) for n in checks.numbers_in(text)] == found


# Abbreviations


def test_an_unexplained_abbreviation_is_warned_once_where_first_used():
    snap = snapshot(
        entry(**HATE),
        summary=["The MAPPA joined the partnership."],
        successes=["The MAPPA funded two posts."],
    )

    assert messages(snap) == [
        "Executive summary: MAPPA is not explained in the glossary: add it under Other terms."
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ASB and the PCC grant: both in the glossary.",
        "The CSPs and their SLAs.",
        "NHS and UK are known to everyone.",
        "The clinical commissioning group (CCG) joined.",
        "The CCG (clinical commissioning group) joined.",
        "Figures are from the CSEW (Crime Survey for England and Wales).",
        "SS 01 and NI 16 are codes.",
    ],
)
def test_explained_or_known_abbreviations_are_not_warned(text):
    assert messages(snapshot(entry(**HATE), summary=[text])) == []


def test_an_other_term_explains_an_abbreviation():
    terms = other_terms("MAPPA: multi-agency public protection arrangements")
    snap = snapshot(entry(**HATE), summary=["The MAPPAs joined."], terms=terms)

    assert messages(snap) == []


def test_an_indicator_title_and_note_are_checked_but_shouting_is_not():
    title = "Reduce Serious Acquisitive Crime, FOR MONITORING ONLY"
    snap = snapshot(
        entry(3, "SP 02", title, "1149", "1223", note="Counted by the OCU."),
        summary=[],
    )

    assert messages(snap) == [
        "Note on SP 02 Reduce Serious Acquisitive Crime, FOR MONITORING ONLY: OCU is not "
        "explained in the glossary: add it under Other terms."
    ]


def test_without_the_glossary_abbreviations_are_named_once():
    snap = snapshot(
        entry(**HATE), summary=["The CCG and ASB."], shown=("key_findings", "performance")
    )

    assert messages(snap) == [
        "Definitions: The definitions section, with the glossary, is not shown, so CCG and "
        "ASB are not explained: show the section, or spell them out where first used."
    ]


# Other terms: parsed, refused, and printed in the glossary


def test_other_terms_are_read_one_a_line():
    text = "CCG: clinical commissioning group\n\n  MAPPA :  multi-agency public protection\n"

    assert other_terms(text) == [
        {"term": "CCG", "meaning": "clinical commissioning group"},
        {"term": "MAPPA", "meaning": "multi-agency public protection"},
    ]


@pytest.mark.parametrize("line", ["CCG clinical commissioning group", "CCG:", ": a meaning"])
def test_an_other_terms_line_without_a_term_and_meaning_is_refused(line):
    with pytest.raises(ValidationError) as refused:
        other_terms(f"ASB: anti-social behaviour\n{line}")

    message = refused.value.message_dict["other_terms"][0]
    assert message.startswith(f'Line 2 ("{line.strip()}") is not a term and its meaning')
    assert '"CCG: clinical commissioning group"' in message


def test_glossary_prints_other_terms_and_they_replace_ours():
    own = other_terms("CCG: clinical commissioning group\nASB: anti-social behaviour here")

    terms = glossary("The CSP and ASB", own)

    assert [t["term"] for t in terms] == ["CSP", "CCG", "ASB"]
    assert terms[-1]["meaning"] == "anti-social behaviour here"


# The Safer Plymouth report of November 2016 (year to date), as the demo shows it, with
# the figures a wrong number used to match: hate crime's process limit (62.82), forecast
# (452.1) and quarter last year (60); serious acquisitive crime's month of 80 and its
# change of 80 in the crime-in-context table (police.uk's quarter, not the record's).
PLYMOUTH = {
    "SP 01": entry(11, "SP 01", "Overall crime", "12586", "12016"),
    "SP 02": entry(12, "SP 02", "Reduce serious acquisitive crime", "1149", "1223", months=["80"]),
    "SP 03": entry(
        13, "SP 03", "Reduce violence with injury (excluding domestic abuse)", "1375", "1280"
    ),
    "SP 04": entry(
        14,
        "SP 04",
        "Increase reporting of domestic violence (crimes and incidents)",
        "3230",
        "4329",
    ),
    "SP 06": entry(16, "SP 06", "Reduce anti-social behaviour incidents", "7170", "6803"),
    "SP 07": entry(
        17, "SP 07", 'Increase reporting of Level Two Indicator: "ist" incidents', "150", "140"
    ),
    "SP 09": entry(19, "SP 09", "Police recorded hate crime", "287", "219"),
}
PLYMOUTH["SP 09"]["figures"].update(spc_upper="62.82", forecast="452.1", quarter_last_year="60")


def plymouth_comment(code: str, comment: str) -> list[str]:
    """The figure warnings of an editor's comment on one of the indicators."""
    entries = [dict(e, editor_comment=comment if c == code else "") for c, e in PLYMOUTH.items()]
    snap = snapshot(*entries)
    snap["context"] = {"core": [{"id": 12, "quarter": {"this": "214", "change": "-80"}}]}
    warnings = checks.figure_warnings(snap, checks.editor_texts(snap))
    return [f"{w.where}: {w.message}" for w in warnings]


@pytest.mark.parametrize(
    ("code", "comment"),
    [
        # A sub-category or a related measure is not the indicator the comment is on.
        ("SP 02", "Despite a small rise in dwelling burglary, serious acquisitive crime has "
         "fallen by 74 crimes."),
        ("SP 06", "Anti-social behaviour incidents increased by 5% but repeat callers fell "
         "by 12%."),
        ("SP 06", "ASB rose by 367 (5%). Youth-related ASB fell, but neighbour disputes "
         "increased."),
        ("SP 06", "Anti-social behaviour rose 5%. Calls about noise were lower than last year."),
        ("SP 03", "Violence with injury rose by 95. Repeat victims fell from 120 to 96."),
        ("SP 03", "Violence with injury rose, and violence rose 20% in the city centre."),
        ("SP 01", "Shoplifting accounts for 300 of the increase."),
        ("SP 02", "Serious acquisitive crime fell, helped by Operation Vortex which saw 45 "
         "arrests."),
        ("SP 09", "Third party reporting centres received 24 reports."),
        # Another period: a month, "last year" as a time, two years ago.
        ("SP 07", "Police reports also down 40% for August."),
        ("SP 04", "overall last year crimes and incidents reduced by 3% (223 fewer incidents)."),
        ("SP 04", "The number of DA crimes recorded increased last year but…"),
        ("SP 06", "ASB is 5% higher than last year, although still lower than two years ago."),
        # A share is no rise or fall of the indicator.
        ("SP 02", "More than half of serious acquisitive crimes were thefts from vehicles."),
        ("SP 02", "Thefts from vehicles make up a higher share than last year."),
        # What the figures bear out.
        ("SP 09", "Hate crime rose by 68 crimes (+31%)."),
        ("SP 02", "Serious acquisitive crime fell by 74 crimes, a 6% reduction."),
        ("SP 04", "Reporting fell by 1,099 (25%)."),
    ],
)  # fmt: skip
def test_plymouth_comment_the_figures_do_not_contradict_is_not_warned(code, comment):
    assert plymouth_comment(code, comment) == []


@pytest.mark.parametrize(
    ("code", "comment", "written"),
    [
        # A change is compared with the changes, not with any figure of the indicator.
        ("SP 09", "Hate crime rose by 62 crimes.", "62"),
        ("SP 09", "Hate crime rose by 452 crimes.", "452"),
        ("SP 09", "Hate crime rose by 60 (+31%).", "60"),
        ("SP 02", "Serious acquisitive crime fell by 80 crimes.", "80"),
        # Of the indicator itself, by a pronoun or a word for what it counts.
        ("SP 09", "It rose by 62 on last year.", "62"),
        ("SP 02", "Crimes fell by 80.", "80"),
    ],
)
def test_plymouth_comment_with_a_wrong_change_is_warned(code, comment, written):
    entry = PLYMOUTH[code]

    assert plymouth_comment(code, comment) == [
        f"Comment on {code} {entry['title']}: {written} is not a figure the report shows for "
        f"{code} {entry['title']}: {checks.figures_words(entry)}."
    ]


def test_a_comment_whose_words_for_the_measure_contradict_it_is_warned():
    warnings = plymouth_comment("SP 06", "Incidents have fallen again.")

    assert [w.split(" but ")[0] for w in warnings] == [
        'Comment on SP 06 Reduce anti-social behaviour incidents: "fallen" says anti-social '
        "behaviour went down,"
    ]


def test_a_summary_percentage_about_nothing_the_report_names_is_let_be():
    # Shoplifting is no indicator of the report: its 12% may be right, so nothing is said.
    snap = snapshot(entry(**HATE), summary=["Shoplifting rose by 12% in the city centre."])

    assert messages(snap) == []


# How a change is told (REPORTING.md): "significant" only for a tested change, and never a
# percentage alone. Review finding: "Serious acquisitive crime fell significantly in the
# year to date." passed, though the report found SP 02's change within normal variation;
# so did "Hate crime reports rose by 32%." with no count.


def with_ytd_test(entry_: dict, *, within: bool | None) -> dict:
    """An indicator whose year to date's change the report labels within normal variation
    (True), beyond it (False) or untested (None)."""
    return {**entry_, "changes": {"ytd": {"z": "1.9", "within": within}}}


SAC = dict(pk=12, code="SP 02", title="Reduce serious acquisitive crime", ytd="1131", last="1220")


def test_significantly_of_a_change_within_normal_variation_is_warned():
    snap = snapshot(
        with_ytd_test(entry(**SAC), within=True),
        summary=["Serious acquisitive crime fell significantly in the year to date."],
    )

    assert messages(snap) == [
        'Executive summary: "significantly": the report finds the change in SP 02 Reduce '
        "serious acquisitive crime within normal variation: the year to date is 1,131, 89 "
        'fewer than the same months last year (−7%). Keep "significant" for a change beyond '
        "normal variation, or say the change is within it."
    ]


def test_significant_in_a_comment_on_the_indicator_is_warned():
    sac = with_ytd_test(entry(**SAC, comment="Crimes fell significantly."), within=True)

    assert [w.where for w in checks.report_warnings(snapshot(sac))] == [
        "Comment on SP 02 Reduce serious acquisitive crime"
    ]


@pytest.mark.parametrize(
    ("within", "text"),
    [
        # Beyond normal variation, or untested: "significant" may be right.
        (False, "Serious acquisitive crime fell significantly."),
        (None, "Serious acquisitive crime fell significantly."),
        # Denied, another period, or no change of the indicator at all.
        (True, "Serious acquisitive crime fell, but not significantly."),
        (True, "Serious acquisitive crime showed no significant change."),
        (True, "Serious acquisitive crime fell significantly in December."),
        (True, "Significant work on serious acquisitive crime continues."),
        (True, "Serious acquisitive crime fell by 89, a non-significant decrease."),
    ],
)
def test_significant_where_the_report_may_bear_it_out_is_not_warned(within, text):
    snap = snapshot(with_ytd_test(entry(**SAC), within=within), summary=[text])

    assert messages(snap) == []


def test_a_percentage_change_without_its_count_is_warned():
    snap = snapshot(entry(**HATE), summary=["Hate crime reports rose by 29%."])

    assert messages(snap) == [
        "Executive summary: 29% is a percentage without its count: give the number as well. "
        "For SS 01 Hate crime, the year to date is 281, 63 more than the same months last "
        "year (+29%)."
    ]


def test_a_comment_with_a_percentage_alone_is_warned():
    snap = snapshot(entry(**HATE, comment="It is up 29% on last year."))

    assert [w.message.split(":")[0] for w in checks.report_warnings(snap)] == [
        "29% is a percentage without its count"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Hate crime rose by 63 (29%).",
        "Hate crime rose by 63, a 29% increase.",
        "There were 281 hate crimes, 29% more than last year.",
        "Hate crime rose by 63 on last year. That is a 29% increase.",
        "Hate crime rose by five (29%).",
        # A share, a hope, a target: no change of the count.
        "29% of hate crimes were reported online.",
        "We want hate crime reporting to increase by 40%.",
        # Something the report does not measure.
        "Shoplifting rose by 12%.",
    ],
)
def test_a_percentage_with_its_count_or_of_no_change_is_not_warned(text):
    assert messages(snapshot(entry(**HATE), summary=[text])) == []


def test_a_percentage_change_of_a_percentage_measure_is_left_to_the_figures_check():
    satisfaction = entry(3, "SP 08", "Satisfaction rate", "88.5", "90", measure="percentage")
    snap = snapshot(satisfaction, summary=["The satisfaction rate fell by 1.5 points."])

    assert checks.wording_warnings(snap, checks.editor_texts(snap)) == []


# Text the report prints from the portal's records: its abbreviations are checked too.
# Review finding: "NEW Devon CCG" in a funding stream's "allocated by" was printed with no
# warning and no glossary entry.


def commissioning(**stream) -> dict:
    return {
        "title": "Community safety commissioning plan",
        "streams": [
            {
                "name": "Police and Crime Commissioner grant",
                "allocated_by": "",
                "criteria": "",
                "monitoring": "",
                **stream,
            }
        ],
        "lines": [
            {
                "reference": "L01",
                "area": "Domestic abuse",
                "provider": "Plymouth Domestic Abuse Service",
                "outcomes": ["Referrals to the IDVA service doubled."],
            }
        ],
        "updates": [{"title": "L01 Domestic abuse", "text": "Working with the DAAT."}],
    }


def test_funding_streams_and_lines_are_checked_for_abbreviations():
    snap = snapshot(
        entry(**HATE),
        shown=("performance", "commissioning", "definitions"),
    )
    snap["commissioning"] = commissioning(
        allocated_by="The integrated commissioning team of the council and the DPH.",
        criteria="Priorities of the SA.",
        monitoring="Quarterly returns to the OPCC.",
    )

    assert messages(snap) == [
        "Funding stream: Police and Crime Commissioner grant: DPH is not explained in the "
        "glossary: add it under Other terms.",
        "Funding stream: Police and Crime Commissioner grant: SA is not explained in the "
        "glossary: add it under Other terms.",
        "Funding stream: Police and Crime Commissioner grant: OPCC is not explained in the "
        "glossary: add it under Other terms.",
        "Commissioning line: L01: IDVA is not explained in the glossary: add it under Other terms.",
        "Progress: L01 Domestic abuse: DAAT is not explained in the glossary: add it under "
        "Other terms.",
    ]


def test_a_hidden_commissioning_section_is_not_checked():
    snap = snapshot(entry(**HATE), shown=("performance", "definitions"))
    snap["commissioning"] = commissioning(monitoring="Returns to the OPCC.")

    assert messages(snap) == []


def test_actions_are_checked_for_abbreviations():
    snap = snapshot(entry(**HATE), shown=("performance", "actions", "definitions"))
    snap["actions"] = {
        "plans": ["Safer Plymouth action plan"],
        "status_changes": [{"title": "A1 Train staff", "update": "The MASH trained 40."}],
        "closed_since": [],
        "overdue": [{"title": "A2 Review the MARAC", "lead": "DCI Smith"}],
    }

    assert messages(snap) == [
        "Action: A1 Train staff: MASH is not explained in the glossary: add it under Other terms.",
        "Action: A2 Review the MARAC: DCI is not explained in the glossary: add it under Other "
        "terms.",
    ]


def test_ccg_is_in_the_glossary():
    snap = snapshot(entry(**HATE), shown=("performance", "commissioning", "definitions"))
    snap["commissioning"] = commissioning(allocated_by="NHS Devon CCG and the council.")

    assert messages(snap) == [
        "Commissioning line: L01: IDVA is not explained in the glossary: add it under Other terms.",
        "Progress: L01 Domestic abuse: DAAT is not explained in the glossary: add it under "
        "Other terms.",
    ]
    assert [t["term"] for t in glossary("NEW Devon CCG funds it.")] == ["CCG"]


@pytest.mark.parametrize(
    ("ytd", "last", "relative"),
    [("8024", "8000", "(a rise of less than 1%)"), ("9183", "9000", "(+2%)")],
)
def test_a_warning_gives_a_percentage_change_as_the_report_prints_it(ytd, last, relative):
    """Whole, as every table and sentence of the report (not "+0.3%" or "+2.0%")."""
    words = checks.figures_words(entry(9, "SP 06", "ASB", ytd, last))
    assert words.endswith(f"than the same months last year {relative}")


@pytest.mark.parametrize(
    "text",
    [
        "Serious acquisitive crime fell significantly since April.",
        "Serious acquisitive crime fell significantly from April to November.",
    ],
)
def test_significantly_of_the_year_to_date_named_by_its_months_is_warned(text):
    # The wording check reads the year to date by its months as the figure check does
    # (one walk of the clauses serves both): "since April" is not another period.
    snap = snapshot(with_ytd_test(entry(**SAC), within=True), summary=[text])
    snap |= {"period": "2016-11-01", "fy_start_label": "April"}

    assert [m.split(":")[1].strip() for m in messages(snap)] == ['"significantly"']


def test_a_percentage_alone_since_april_is_warned_with_the_year_to_date():
    snap = snapshot(entry(**HATE), summary=["Hate crime reports rose by 29% since April."])
    snap |= {"period": "2016-11-01", "fy_start_label": "April"}

    assert messages(snap) == [
        "Executive summary: 29% is a percentage without its count: give the number as well. "
        "For SS 01 Hate crime, the year to date is 281, 63 more than the same months last "
        "year (+29%)."
    ]


# The report's month by its name (review finding: "Hate crime reports increased
# significantly in November." passed beside "November fell by 3, within normal variation").


def _in_november(text: str, *, value="23", last="26", within=True, frequency="monthly"):
    """The warnings of a summary line in a report to November 2016, hate crime's November
    being ``value`` against ``last`` the November before."""
    change = Decimal(value) - Decimal(last)
    hate = entry(**HATE) | {"frequency": frequency}
    hate["figures"] |= {
        "value": value,
        "last_year_value": last,
        "change": str(change),
        "change_pct": str(change / Decimal(last) * 100),
    }
    hate["changes"] = {"month": {"z": "-0.6", "within": within}}
    snap = snapshot(hate, summary=[text])
    snap |= {"period": "2016-11-01", "fy_start_label": "April"}
    return messages(snap)


def test_significantly_of_the_reports_month_within_normal_variation_is_warned():
    assert _in_november("Hate crime reports increased significantly in November.") == [
        'Executive summary: "increased" says hate crime went up in November, but the figures '
        "of SS 01 show it fell: November is 23, 3 fewer than November last year (−12%).",
        'Executive summary: "significantly": the report finds the change in SS 01 Hate crime '
        "in November within normal variation: November is 23, 3 fewer than November last year "
        '(−12%). Keep "significant" for a change beyond normal variation, or say the change '
        "is within it.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "In November hate crime rose.",
        "Hate crime rose in November 2016.",
        "Hate crime was up during November.",
    ],
)
def test_a_rise_in_the_reports_month_the_figures_contradict_is_warned(text):
    assert [m.split(": ")[2] for m in _in_november(text)] == [
        "November is 23, 3 fewer than November last year (−12%)."
    ]


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("Hate crime fell in November.", "monthly"),  # as the figures show
        ("Hate crime fell by 3 in November.", "monthly"),
        ("Hate crime rose in November 2015.", "monthly"),  # another year's
        ("Hate crime rose from October to November.", "monthly"),  # month on month
        ("Hate crime rose in November.", "quarterly"),  # no month of its own
        ("Hate crime may rise in November.", "monthly"),  # a hope or fear
    ],
)
def test_the_reports_month_told_as_the_figures_show_or_not_its_own_is_let_be(text, frequency):
    assert _in_november(text, frequency=frequency) == []


def test_the_year_to_date_before_the_reports_month_in_one_sentence_is_the_years():
    # "Rose ... this year" is the year to date's (+63), the clause after it November's (−3).
    assert _in_november("Hate crime rose by 63 this year, and fell in November.") == []
