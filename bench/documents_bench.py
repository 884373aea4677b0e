"""Report documents: time to draw the chart images (one browser session), to make the PDF
and to make the Word file, for reports of 10, 30 and 100 indicators (two charts each).

    .venv/bin/python bench/documents_bench.py [--sizes 10 30 100]

No database: the report is the made-up one the documents tests use. Times are wall-clock
seconds of one run each (a run takes seconds, so repeats would add little); the CPU
column is this process only (the charts are drawn in Chromium, outside it).
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 100])
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")
    import django

    django.setup()
    from pypdf import PdfReader

    from reports import chart_images, documents
    from tests.factories.report_html import made_up_report

    print(f"Chromium: {chart_images.browser_path()}; load average {os.getloadavg()[0]:.1f}")
    print(
        f"{'indicators':>10} {'charts':>6} {'images':>9} {'per chart':>9} {'PDF':>8} "
        f"{'PDF CPU':>8} {'pages':>5} {'PDF MB':>6} {'Word':>7} {'Word MB':>7}"
    )
    for size in args.sizes:
        report = made_up_report(size)
        started = time.perf_counter()
        images = chart_images.render_chart_images(report.charts)
        drawn = time.perf_counter() - started

        started, cpu = time.perf_counter(), time.process_time()
        pdf = documents.render_pdf(
            report.html, title=report.title, charts=report.charts, images=images
        )
        pdf_time, pdf_cpu = time.perf_counter() - started, time.process_time() - cpu

        started = time.perf_counter()
        word = documents.render_docx(
            report.html, title=report.title, charts=report.charts, images=images
        )
        word_time = time.perf_counter() - started
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"{size:>10} {len(images):>6} {drawn:>8.1f}s {drawn / len(images):>8.2f}s "
            f"{pdf_time:>7.1f}s {pdf_cpu:>7.1f}s {pages:>5} {len(pdf) / 1e6:>6.1f} "
            f"{word_time:>6.1f}s {len(word) / 1e6:>7.1f}"
        )


if __name__ == "__main__":
    main()
