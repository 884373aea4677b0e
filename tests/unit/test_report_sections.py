"""The report by CSP priority and its glossary (REPORT_CHECKLIST 6), worked by hand."""

import pytest

from reports import builder, sections


def _entry(pk, group, status, direction, *, target=True, polarity="higher"):
    return {
        "id": pk,
        "title": f"Indicator {pk}",
        "theme_group": group,
        "has_target": target,
        "status": status if target else "none",
        "direction": direction,
        "polarity": polarity,
    }


ENTRIES = [
    _entry(1, "Hate crime", "amber", "improving"),
    _entry(2, "Hate crime", "red", "deteriorating"),
    _entry(3, "Hate crime", "none", "deteriorating", target=False, polarity="monitor"),
    _entry(4, "", "green", "stable"),
]


def test_statistics_sentence_counts_status_and_direction():
    # Three indicators: one red, one amber, one monitored; the monitored one has no
    # better or worse, so only two directions are counted.
    assert sections.statistics_sentence(ENTRIES[:3]) == (
        "Of its 3 indicators: 1 red, 1 amber, 1 for information only; "
        "against last year, 1 improving, 1 deteriorating."
    )
    assert sections.statistics_sentence([]).startswith("No indicator")


def test_statistics_sentence_counts_every_indicator_as_the_key_findings_do():
    # Demo report 2: a target but no status (figures missing) was left out of the count.
    entries = [
        _entry(1, "", "none", "none"),  # a target, not rated
        _entry(2, "", "none", "none"),
        _entry(3, "", "none", "improving", target=False),  # rated polarity, no target set
        _entry(4, "", "none", "stable", target=False, polarity="monitor"),
    ]
    assert sections.statistics_sentence(entries) == (
        "Of its 4 indicators: 2 with a target but not rated (figures missing), "
        "1 with no target set, 1 for information only; against last year, 1 improving."
    )
    statuses = builder.key_findings([{**e, "actions": []} for e in entries])["statuses"]
    assert {s["key"]: s["count"] for s in statuses if s["count"]} == {
        "unrated": 2,
        "no_target": 1,
        "monitor": 1,
    }


def test_statistics_sentence_tells_a_baseline_without_figures_from_figures_missing():
    entries = [
        _entry(1, "", "none", "none") | {"unrated_why": "baseline"},
        _entry(2, "", "none", "none") | {"unrated_why": "figures"},
        _entry(3, "", "none", "none"),  # a snapshot made before: figures missing, as then
    ]
    assert sections.statistics_sentence(entries) == (
        "Of its 3 indicators: 2 with a target but not rated (figures missing), "
        "1 with a target but not rated (baseline year has no figures)."
    )
    statuses = builder.key_findings([{**e, "actions": []} for e in entries])["statuses"]
    assert {s["key"]: s["count"] for s in statuses if s["count"]} == {
        "unrated": 2,
        "unrated_baseline": 1,
    }
    compared = builder.overview_comparison([{"slug": "a", "name": "A", "indicators": entries}])
    assert {"key": "unrated_baseline", "label": "Not rated: baseline year has no figures"} in (
        compared["statuses"]
    )


def _tested(entry, within):
    return entry | {"changes": {"ytd": {"z": "-1.1" if within else "-17.9", "within": within}}}


def test_statistics_sentence_says_how_many_changes_are_within_normal_variation():
    """Review finding: SP 05 (37 fewer referrals, z -1.1) was one of "2 deteriorating" with
    no word that its fall was within normal variation (REPORTING.md). An untested change (a
    rate) is not counted as within; a stable one is not told."""
    entries = [
        _tested(_entry(1, "", "none", "deteriorating", target=False), True),
        _tested(_entry(2, "", "none", "deteriorating", target=False), False),
        _entry(3, "", "none", "deteriorating", target=False),  # untested
        _tested(_entry(4, "", "none", "improving", target=False), True),
        _tested(_entry(5, "", "none", "stable", target=False), True),
    ]
    assert sections.statistics_sentence(entries) == (
        "Of its 5 indicators: 5 with no target set; against last year, "
        "1 improving (within normal variation), 3 deteriorating (1 within normal variation), "
        "1 stable."
    )
    assert sections.statistics_sentence(entries[2:4]).endswith(
        "against last year, 1 improving (within normal variation), 1 deteriorating."
    )


@pytest.mark.parametrize(
    ("count", "within", "note"),
    [
        (4, 1, "(1 within normal variation)"),
        (1, 1, "(within normal variation)"),
        (2, 2, "(both within normal variation)"),
        (3, 3, "(all within normal variation)"),
        (3, 0, ""),
        (3, None, ""),  # a snapshot made before they were counted
    ],
)
def test_within_note_worded_by_hand(count, within, note):
    assert sections.within_note(count, within) == note


def test_priorities_by_theme_group_with_risks_successes_and_focus():
    items = sections.priorities(
        ENTRIES,
        ["", "Hate crime", "Empty group"],
        whole_name="Safer Plymouth",
        successes={"Hate crime": "More reports.\nAwareness week."},
        focus={"": "Explain the rise."},
        risks=["Funding not confirmed.", "Staff shortage."],
        risk_groups=["Hate crime", ""],
    )
    assert [i["group"] for i in items] == ["Safer Plymouth as a whole", "Hate crime"]
    whole, hate = items
    assert whole["statistics"].startswith("Of its 1 indicator: 1 green")
    assert whole["risks"] == ["Staff shortage."] and whole["focus"] == ["Explain the rise."]
    assert whole["not_reported"] == "No successes reported."
    assert [e["id"] for e in hate["exceptions"]] == [1, 2]
    assert hate["successes"] == ["More reports.", "Awareness week."]
    assert hate["risks"] == ["Funding not confirmed."]
    assert hate["not_reported"] == "No focus for next quarter reported."
    # Paragraphs numbered in turn: no gap where successes are missing.
    assert whole["numbers"] == {"statistics": 1, "risks": 2, "focus": 3, "not_reported": 4}
    assert hate["numbers"] == {"statistics": 1, "successes": 2, "risks": 3, "not_reported": 4}


def test_theme_group_report_takes_all_its_indicators_and_risks():
    [item] = sections.priorities(
        ENTRIES[:3],
        ["Hate crime"],
        whole_name="P",
        successes={},
        focus={},
        risks=["A risk."],
        risk_groups=["Hate crime"],
    )
    assert item["not_reported"] == "No successes or focus for next quarter reported."
    assert item["risks"] == ["A risk."]


def test_glossary_lists_only_the_abbreviations_and_terms_the_text_uses():
    terms = [t["term"] for t in sections.glossary("Reduce anti-social behaviour; NI 16; PCC grant")]
    # The words "anti-social behaviour" are no use of the abbreviation ASB.
    assert terms == ["PCC", "NI"]
    used = sections.glossary("RAG status; CSPs; direction of travel; normal variation; SLA 01")
    assert [t["term"] for t in used] == [
        "CSP",
        "RAG",
        "Direction of travel",
        "Normal variation",
        "SLA",
    ]
    # An abbreviation is a whole word in capitals: "nice" is no NI, "ipcc" no PCC.
    quiet = [t["term"] for t in sections.glossary("a nice day, ipcc")]
    assert "NI" not in quiet and "PCC" not in quiet


def test_glossary_explains_the_statistical_words_in_plain_english():
    # Review finding: the indicator blocks said "special cause", "process limits" and
    # "(Poisson test)", and the glossary explained none of them.
    used = sections.glossary(
        "Special cause variation; within the process limits; common cause; a significant "
        "rise (Poisson test)."
    )
    meanings = {t["term"]: t["meaning"] for t in used}
    assert list(meanings) == ["Common cause", "Special cause", "Process limits", "Normal variation"]
    assert "by chance" in meanings["Common cause"]
    assert "a real change" in meanings["Special cause"]
    assert "usual range" in meanings["Process limits"]
    assert meanings["Normal variation"].startswith("A change between two counts small enough")


def test_rag_points_to_the_key_only_when_the_report_prints_one():
    # A report with no indicator with a target prints no key: its actions' RAG ratings
    # still use the word.
    [with_key] = sections.glossary("RAG ratings of the open actions")
    [without] = sections.glossary("RAG ratings of the open actions", status_key=False)

    assert with_key["meaning"].endswith("The key in this appendix gives the thresholds.")
    assert without["meaning"] == (
        "Red, amber, green: the status of an indicator against its target, or of an action "
        "against its plan."
    )


def test_whom_to_ask_for_another_format_is_always_someone_named():
    cover = {"contact_officer": "Jo Bloggs, 01752 000000", "report_of": "Chair of A"}
    ask = sections.formats_contact

    assert ask(cover, "Safer Plymouth") == "the contact officer (Jo Bloggs, 01752 000000)"
    # No contact officer: the responsible officer the report is of.
    assert ask({**cover, "contact_officer": " "}, "Safer Plymouth") == (
        "the responsible officer (Chair of A)"
    )
    # Neither: the partnership by name, never "the contact officer" with nobody behind it.
    assert ask({"contact_officer": "", "report_of": ""}, "Safer Plymouth") == "Safer Plymouth"
    # An overview of several partnerships: any of them; of one, that one.
    assert ask({}, "Safer Gateshead", ["Safer Gateshead", "Safer Plymouth"]) == (
        "any of the partnerships this report covers"
    )
    assert ask({}, "Safer Gateshead", ["Safer Plymouth"]) == "Safer Plymouth"
    assert ask(cover, "Safer Gateshead", ["Safer Gateshead", "Safer Plymouth"]) == (
        "the contact officer (Jo Bloggs, 01752 000000)"
    )
