from django.conf import settings


def portal(request):
    return {"service_name": settings.SERVICE_NAME}
