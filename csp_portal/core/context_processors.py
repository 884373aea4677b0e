from django.conf import settings

from .permissions import is_site_admin


def portal(request):
    return {
        "service_name": settings.SERVICE_NAME,
        # Called by the template only where it asks: most pages never read the user.
        "site_admin": lambda: is_site_admin(request.user),
    }
