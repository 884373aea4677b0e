"""The server's workers set Python's collector up as csp_portal/wsgi.py says."""

import os
import subprocess
import sys

import pytest

PROBE = "import gc, csp_portal.wsgi; print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"


@pytest.mark.parametrize(("setting", "expected"), [(None, "10000 True"), ("700", "700 True")])
def test_a_worker_sweeps_less_often_and_never_what_it_loaded(setting, expected):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_GC_THRESHOLD"}
    env.setdefault("DJANGO_SECRET_KEY", "test-only")
    if setting:
        env["DJANGO_GC_THRESHOLD"] = setting
    output = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert output.split("\n")[-2] == expected
