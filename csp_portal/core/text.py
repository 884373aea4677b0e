"""Words for lists, the same everywhere the site writes them."""

from collections.abc import Iterable


def joined(words: Iterable[object], last: str = "and", *, between: str = ", ") -> str:
    """ "A", "A and B", "A, B and C" (``last="or"``: "A, B or C"); "" for none. With
    ``between="; "``, for items that hold a comma or an "and" of their own: "A; B; and C"."""
    words = [str(word) for word in words]
    if len(words) < 2:
        return "".join(words)
    if between == ", ":
        return f"{', '.join(words[:-1])} {last} {words[-1]}"
    return f"{between.join(words[:-1])}{between}{last} {words[-1]}"
