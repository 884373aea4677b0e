import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")
application = get_wsgi_application()

# A page view allocates tens of thousands of short-lived objects. At Python's default
# threshold (a young-generation sweep every 700 allocations) the cyclic collector ran six
# times a page view and took about a tenth of the CPU (bench/gc_bench.py). A worker
# sweeps every 10,000, and never sweeps what it loaded at start (code, settings: kept for
# its life). DJANGO_GC_THRESHOLD=700 restores Python's default.
gc.freeze()
gc.set_threshold(settings.GC_THRESHOLD)
