from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe


@login_required
def upload(request, slug):
    raise NotImplementedError


@require_safe
@login_required
def import_detail(request, slug, pk):
    raise NotImplementedError


@login_required
def wards_upload(request, slug):
    raise NotImplementedError


@require_safe
@login_required
def hotspots(request, slug, pk):
    raise NotImplementedError
