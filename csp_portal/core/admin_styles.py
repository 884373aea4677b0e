"""The Django admin's pages may apply inline styles (``ADMIN_STYLE_SOURCES``): its
autocomplete boxes (select2) size themselves with style attributes and a style element,
which the site's policy (styles from our own origin only) blocked on every admin form with
such a box. Scripts stay under the site's policy: only styles are let in, only there.
"""

import functools

from django.urls import reverse

ADMIN_STYLE_SOURCES = {"style-src": ["'unsafe-inline'"]}


@functools.cache
def _admin_prefix() -> str:
    return reverse("admin:index")


class AdminStylesMiddleware:
    """Place it after django-csp's ``CSPMiddleware``, so it sees the response first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(_admin_prefix()):
            response._csp_update = ADMIN_STYLE_SOURCES
        return response
