"""What each role may do is said where an administrator chooses it (review finding: the
admin's role list gave no hint that four roles edit and one only reads)."""

from csp_portal.core.models import Membership


def test_the_role_help_names_every_role_with_what_it_may_do():
    help_text = Membership._meta.get_field("role").help_text.lower()
    editing, reading = help_text.split(";")

    for role in Membership.Role:
        said = editing if role in Membership.EDITOR_ROLES else reading
        assert role.label.lower() in said, role
    assert "enters and changes" in editing
    assert "published reports only" in reading
