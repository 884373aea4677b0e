"""Posting the target form as a browser does, with the target the page showed beside its
boxes (csp_portal/core/concurrency.py): a post without it can add a target, not replace
one."""


def shown_target(client, url: str) -> dict:
    """The hidden values the target page at `url` carries: what it shows now."""
    initial = client.get(url).context["form"].initial
    return {f"initial-{name}": value for name, value in initial.items() if value is not None}
