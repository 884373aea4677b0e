import pytest

from csp_portal.core.text import ended, shortened

SEED = (
    "Include the family group position for violence with injury, and the actions to "
    "improve it, in every update"
)


@pytest.mark.parametrize(
    ("text", "most", "expected"),
    [
        ("Funding ends", 60, "Funding ends"),
        ("exactly ten", 11, "exactly ten"),
        # Cut after the last whole word, the comma left behind, and an ellipsis added.
        (SEED, 60, "Include the family group position for violence with injury…"),
        (SEED, 55, "Include the family group position for violence with…"),
        # A cut that falls just before a space keeps the whole word before it.
        ("one two three", 7, "one two…"),
        ("one two. three", 8, "one two…"),
        # One word longer than the room is cut inside it: nothing else would fit.
        ("Antidisestablishmentarianism", 10, "Antidisest…"),
        ("Line one\nline two", 60, "Line one line two"),
    ],
)
def test_shortened_cuts_at_a_word_and_marks_the_cut(text, most, expected):
    assert shortened(text, most) == expected


def test_shortened_is_never_longer_than_the_room_and_its_ellipsis():
    for most in range(1, len(SEED) + 2):
        assert len(shortened(SEED, most)) <= most + 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saved risk R1 Funding ends", "Saved risk R1 Funding ends."),
        ("Saved risk R1 Funding ends.", "Saved risk R1 Funding ends."),
        (
            "Saved recommendation CC-2011-02 Include the…",
            "Saved recommendation CC-2011-02 Include the…",
        ),
        ("Is it?", "Is it?"),
    ],
)
def test_ended_adds_a_full_stop_only_where_none_ends_it(text, expected):
    assert ended(text) == expected
