from functools import cache

from django.conf import settings
from django.utils.safestring import mark_safe

from .permissions import is_site_admin

# In the session from an import until the page it redirects to: the rows it added or
# changed, for the success banner of its message there (the message is the summary alone,
# and the last one when messages of earlier requests were never shown).
IMPORT_ROWS = "import_rows"


def portal(request):
    @cache
    def import_rows() -> str:
        # Our template's output, escaped there, kept in the session on the server; taken
        # (once) by the page that shows the import's message, whichever page it led to.
        return mark_safe(request.session.pop(IMPORT_ROWS, ""))

    return {
        "service_name": settings.SERVICE_NAME,
        # Called by the template only where it asks: most pages never read the user.
        "site_admin": lambda: is_site_admin(request.user),
        "import_rows": import_rows,
    }
