"""The PDF and Word versions of a report, made from its rendered HTML at publishing.

    images = chart_images(charts)             # one browser session for all the charts
    pdf = render_pdf(html, title=title, charts=charts, images=images)
    docx = render_docx(html, title=title, charts=charts, images=images)

`charts` maps a chart id to its plotly figure dict (`indicators.charts.Chart.spec`).
`images` is optional: without it each call draws the charts itself (the last set drawn
is remembered, so the second call reuses the first call's images). `base_url`
(optional) makes relative links absolute; without it they are kept as plain text.
`author` and `published` (optional) are both files' properties: who they are by, and
created and modified at that moment (without it, no dates). `version` (optional, with
`published`): the published version's number; both files then say "Version 2, published
14 December 2016" under their `h1` and in their properties (the PDF's subject; Word's
subject, version and revision), so two versions' files can be told apart from inside.
`reason` (optional, with `version`): why that version was published, after the date
("Version 2, published 14 December 2016: Burglary figures corrected by the police").
Errors: ValueError for HTML that breaks the contract below, ChartImageError when the
charts cannot be drawn (no Chromium, or a chart failed).

The HTML contract (what the report template must produce)
---------------------------------------------------------
- `html` is a full page or a fragment (an `<article>`, say). From a full page only
  `<main>` is used (the whole `<body>` if there is no `<main>`). Scripts, forms,
  buttons, skip and back links, breadcrumbs and summary-list "Change" links never
  reach the documents; leave anything else out with `class="app-no-print"` (print.css
  hides it when the page is printed too).
- Headings `h1` to `h4` in order, one `h1`. They are the PDF's tagged headings and
  Word's Heading 1 to 4; in the PDF the `h1` is the title in each page's foot and the
  current `h2` the running head. A status tag in a heading is printed but left out of
  the PDF's bookmarks. A paragraph styled as a heading
  (`<p class="govuk-heading-s">`, a chart's title) stays a paragraph, in bold.
- Any element's `id` becomes a Word bookmark at its first paragraph, so `<a href="#id">`
  (a contents list) works in both documents.
- The contents list, `<ol class="govuk-list app-report__contents-list">` of `<li><a
  href="#part">` (each part an `h2`): the PDF gives each entry's page (print.css); Word
  gets a table of contents (a TOC field of the `h2`s from the first part listed to the
  last) that shows the entries, linked, until the reader updates the field in Word, which
  adds the pages (`word.CONTENTS_FIELD`; the file does not ask Word to on opening).
- Numbered paragraphs, either way: literal numbers, `<p class="app-para"><span
  class="app-para__no">3.2</span> Text</p>` (printed as written, the number in bold),
  or an `<ol>` whose `<li>` hold the text (inline, or `<p>`s), with `start` and
  `<li value>` kept: Word restarts the count at each list.
- Lists: `<ul>`/`<ol>`; `class="govuk-list"` with no `--bullet`/`--number` modifier
  is plain (no bullets or numbers), as on screen.
- Inline: `strong`/`b`, `em`/`i`, `a href`, `br`, `span`, `abbr`, `code`.
- Tables: `<table>`, an optional `<caption>` (printed, a visually hidden one too: on
  paper the caption names the table for every reader; in Word it is the table's alt
  text as well), header rows in `<thead>` (or a first row of
  `<th>` only), body rows in `<tbody>`, `<th scope="row">` row headers; a cell whose
  class contains "numeric" is right-aligned. No merged cells (colspan and rowspan
  are ignored). Header rows repeat on every page in both documents; rows never split.
- Status: `<strong class="govuk-tag app-status app-status--green|amber|red|none">`
  (`includes/status_tag.html`). The word is always printed, in its colour (PDF:
  coloured word and border; Word: white on the colour). Text inside
  `aria-hidden="true"` is in the PDF but not in Word, where a screen reader would read
  it as stray text, except a status's letter or a direction's arrow marked `data-shape`
  (`govuk_status_tag`, `govuk_direction`): in both, as on the page.
- Summary lists: `<dl>` with `<dt>`/`<dd>` (GOV.UK rows in `<div>` are fine): two
  columns in the PDF; in Word each pair is a paragraph "Key: value", the key in bold.
- Charts: an element with `data-chart-id="X"` (or the `includes/chart.html` partial's
  `<div id="X" data-chart="X-spec">`) and an `aria-label` (or `alt`) becomes the
  image of `charts["X"]`, with that text as its alt text. A chart id missing from
  `charts`, or a chart without alt text, is a ValueError. Keep the chart's title,
  subtitle, picture and source in one `<figure class="app-chart">`: the PDF keeps it
  on one page. `<details>` prints open, its `<summary>` as a bold line.
- Other elements with `govuk-visually-hidden` are left out of Word and hidden in the
  PDF.

The report page itself links `static/css/print.css` with `media="print"` after
portal.css; `static/js/charts.js` redraws its charts at paper width before printing.
"""

import datetime
import hashlib
import io
import json
import re
import zipfile
from html import escape
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
from django.conf import settings
from django.contrib.staticfiles import finders
from lxml import etree

from csp_portal.core.text import day_label, ended

from . import chart_images as charts_module
from .word import render_word

__all__ = ["chart_images", "render_docx", "render_pdf"]

REMOVED_TAGS = ("script", "style", "noscript", "template", "form", "button", "input", "select")
REMOVED_CLASSES = (
    "app-no-print",
    "govuk-skip-link",
    "govuk-back-link",
    "govuk-breadcrumbs",
    "govuk-summary-list__actions",
)
_last_images: tuple[str, dict[str, bytes]] | None = None


def _fingerprint(charts: dict[str, dict]) -> str:
    return hashlib.sha256(json.dumps(charts, sort_keys=True, default=str).encode()).hexdigest()


def chart_images(charts: dict[str, dict]) -> dict[str, bytes]:
    """PNG images of the charts, by chart id, all drawn in one browser session."""
    global _last_images
    key = _fingerprint(charts)
    if _last_images and _last_images[0] == key:
        return _last_images[1]
    images = charts_module.render_chart_images(charts)
    _last_images = (key, images)
    return images


def _has_class(element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _chart_id(element) -> str | None:
    if element.get("data-chart-id"):
        return element.get("data-chart-id")
    if element.get("data-chart") and element.get("id"):
        return element.get("id")
    return None


def report_content(html: str):
    """The part of the page the documents show (lxml element), without page furniture."""
    if re.search(r"<(html|body|main)[\s>]", html, re.IGNORECASE):
        document = lxml.html.document_fromstring(html)
        root = document.find(".//main")
        if root is None:
            root = document.find(".//body")
    else:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in list(root.iter(etree.Element)):
        if element.getparent() is None and element is not root:
            continue  # already removed with an ancestor
        if element.tag in REMOVED_TAGS or any(_has_class(element, c) for c in REMOVED_CLASSES):
            element.drop_tree()
    for element in root.iter("details"):
        element.tag = "div"
        element.set("class", (element.get("class", "") + " app-details").strip())
    for element in root.iter("summary"):
        element.tag = "p"
        element.set("class", "app-details__summary")
    return root


def edition(version: int, published: datetime.datetime, reason: str = "") -> str:
    """What a published version's files say of themselves ("Version 2, published 14
    December 2016", then ": " and why, if a reason is given): the day in the site's time
    zone, as the report page gives it."""
    from django.utils import timezone

    day = timezone.localtime(published)
    line = f"Version {version}, published {day_label(day)}"
    return f"{line}: {reason}" if reason else line


def _add_edition(root, line: str) -> None:
    """Put the edition line on the cover, under the title (the first `h1`)."""
    paragraph = etree.Element("p")
    paragraph.set("class", "govuk-body app-report__edition")
    # A sentence, as the page's version line is: "...: why." (not "...late?.").
    paragraph.text = ended(line)
    title = next(root.iter("h1"), None)
    if title is None:
        root.insert(0, paragraph)
    else:
        paragraph.tail, title.tail = title.tail, "\n"
        title.addnext(paragraph)


def _bookmark_labels(root) -> None:
    """A heading holding a status tag is bookmarked without it ("2.2 Hate crime SP 07",
    not "... SP 07 A Amber"): print.css takes the label from data-bookmark-label."""
    for heading in root.iter("h1", "h2", "h3", "h4"):
        tags = [el for el in heading.iter(etree.Element) if _has_class(el, "govuk-tag")]
        if not tags:
            continue
        copy = lxml.html.fromstring(lxml.html.tostring(heading))
        for tag in [el for el in copy.iter(etree.Element) if _has_class(el, "govuk-tag")]:
            tag.drop_tree()
        heading.set("data-bookmark-label", " ".join(copy.text_content().split()))


def _replace_charts(root, images: dict[str, bytes] | None, charts: dict[str, dict]) -> dict:
    """Swap each chart placeholder for an <img data-chart-id> and return its PNG bytes."""
    placeholders = [(el, _chart_id(el)) for el in root.iter(etree.Element) if _chart_id(el)]
    missing = sorted({chart_id for _, chart_id in placeholders if chart_id not in charts})
    if missing:
        raise ValueError(f"No chart spec for chart id(s): {', '.join(missing)}")
    used = {chart_id: charts[chart_id] for _, chart_id in placeholders}
    if images is None:
        images = chart_images(used)
    for element, chart_id in placeholders:
        alt = (element.get("aria-label") or element.get("alt") or "").strip()
        if not alt:
            raise ValueError(f"Chart {chart_id} has no alt text (aria-label)")
        if chart_id not in images:
            raise ValueError(f"No image for chart {chart_id}")
        image = etree.Element("img")
        image.set("class", "app-chart__image")
        image.set("data-chart-id", chart_id)
        image.set("alt", alt)
        image.tail = element.tail
        element.getparent().replace(element, image)
    return {chart_id: images[chart_id] for chart_id in used}


def _print_css() -> Path:
    found = finders.find("css/print.css")
    return Path(found) if found else Path(settings.BASE_DIR) / "static" / "css" / "print.css"


# What print.css holds for a browser printing the page alone, between these comments.
BROWSER_ONLY = re.compile(r"/\* browser only:.*?/\* end browser only \*/", re.DOTALL)


def pdf_css() -> str:
    """print.css as WeasyPrint reads it: without its rules for browsers only (properties
    WeasyPrint does not know, which it warns of on every PDF)."""
    return BROWSER_ONLY.sub("", _print_css().read_text(encoding="utf-8"))


def render_pdf(html: str, **layout) -> bytes:
    """The report as an A4, tagged (PDF/UA-1) PDF with its charts as images, laid out as
    `pdf_layout` lays it out (its keywords: title, charts, lang, images, base_url)."""
    return pdf_layout(html, **layout).write_pdf(pdf_variant="pdf/ua-1")


def pdf_layout(
    html: str,
    *,
    title: str,
    charts: dict[str, dict],
    lang: str = "en-GB",
    images: dict[str, bytes] | None = None,
    base_url: str | None = None,
    author: str = "",
    published: datetime.datetime | None = None,
    version: int | None = None,
    reason: str = "",
):
    """The PDF's pages as WeasyPrint laid them out (a `weasyprint.Document`), before they
    are written: where each box is, for checking what fits the page."""
    import base64

    # Imported here: WeasyPrint loads Pango when imported.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    root = report_content(html)
    line = edition(version, published, reason) if version and published else ""
    if line:
        _add_edition(root, line)
    _bookmark_labels(root)
    pngs = _replace_charts(root, images, charts)
    for image in root.iter("img"):
        chart_id = image.get("data-chart-id")
        if chart_id:
            image.set("src", "data:image/png;base64," + base64.b64encode(pngs[chart_id]).decode())
    body = lxml.html.tostring(root, encoding="unicode")
    # The file's properties: its author, and created and modified when it was published.
    properties = f'<meta name="author" content="{escape(author)}">' if author else ""
    if line:
        properties += f'<meta name="description" content="{escape(line)}">'
    if published is not None:
        when = _w3c(published)
        properties += (
            f'<meta name="dcterms.created" content="{when}">'
            f'<meta name="dcterms.modified" content="{when}">'
        )
    page = (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{properties}</head>"
        f'<body class="app-document">{body}</body></html>'
    )
    # The page brings everything it shows (charts as data: URIs, the stylesheet read
    # here): nothing in a report's HTML makes the server fetch a URL.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=page, base_url=base_url, url_fetcher=fetcher)
    stylesheet = CSS(string=pdf_css(), url_fetcher=fetcher)
    return document.render(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")


def render_docx(
    html: str,
    *,
    title: str,
    charts: dict[str, dict],
    lang: str = "en-GB",
    images: dict[str, bytes] | None = None,
    base_url: str | None = None,
    author: str = "",
    published: datetime.datetime | None = None,
    version: int | None = None,
    reason: str = "",
) -> bytes:
    """The report as a Word document (.docx) with its charts as pictures."""
    root = report_content(html)
    line = edition(version, published, reason) if version and published else ""
    if line:
        _add_edition(root, line)
    pngs = _replace_charts(root, images, charts)
    out = io.BytesIO()
    render_word(
        root,
        images=pngs,
        title=title,
        lang=lang,
        resolve=(lambda href: urljoin(base_url, href)) if base_url else None,
        author=author,
        published=published,
        version=version,
        edition=line,
    ).save(out)
    return _undated(out.getvalue())


def _w3c(moment: datetime.datetime) -> str:
    """A moment as both files' properties hold it: UTC, to the second ("2016-12-14T09:30:15Z")."""
    return f"{moment.astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%S}Z"


def _undated(docx: bytes) -> bytes:
    """The .docx with every part dated the zip format's first day (1 January 1980), not
    the moment it was saved: the same report makes the same bytes whenever it is made."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            target.writestr(part, source.read(item), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
