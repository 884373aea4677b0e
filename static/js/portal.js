/* CSP Portal page behaviour. Plain ES2017, no framework, no network.
   GOV.UK Frontend components are started by initAll() in base.html. */
(function () {
  'use strict';

  // Excel paste helper ------------------------------------------------------
  //
  // Pasting cells copied from a spreadsheet into a box inside an element with
  // data-paste-grid fills that box's row of the grid and the rows after it:
  // one figure per row (a month sheet's indicator, a year grid's month, a
  // profile's month). Excel separates cells with tabs and rows with newlines,
  // so a copied column gives a figure per line, and a single copied row a
  // figure per cell. A percentage row has two boxes, numerator and
  // denominator: its figure is two cells side by side ("72<tab>100") or one
  // cell written "72/100". A lone number for such a row, or two cells for a
  // one-box row, would land in the wrong box: then nothing is pasted and a
  // message above the grid names the rows to fix. A row not open yet (a
  // month not begun, a quarter not ended) has no boxes but keeps its place: a
  // figure for it is refused too, and a blank passes over it. A two-box row
  // given one part and a blank is refused too: the blank would keep the other
  // box's stored part, pairing it with a new one.
  // A grid of quarters (data-paste-quarterly, its indicator's code) takes no
  // more figures than it has quarters left (blank cells after the last figure
  // not counted): a row of twelve months would fill them with April to July,
  // so nothing is pasted. A grid of a year's months (data-paste-year) takes a
  // paste running past its last month only from its first box: from May on, a
  // year's row would shift each month into the next (a thirteenth cell, the
  // total Excel rows often end with, is left out from the first box). The
  // month sheet (data-paste-sheet, the year grid's address with {pk} for the
  // indicator) has a different indicator in each box: a single line of several
  // cells is one indicator's months, so nothing is pasted and the message links
  // that indicator's year grid; its result names the indicators filled. A blank cell (Excel's
  // empty cells at the end of a row) pastes nothing: a box holding a figure
  // keeps it, as clearing one is done by deleting it in its box. Otherwise a
  // message says how many figures were pasted, which rows blank cells left as
  // they were, and how many figures were left out when there were more
  // figures than rows. A line copied with its row's heading (text, then
  // figures) loses the heading, and the message says so; any other cell that
  // is not a figure (a number, "72/100" or blank) stops the whole paste.

  var liveRegion = null;

  function announce(message) {
    // Screen reader users cannot see boxes fill further down the page.
    if (!liveRegion) {
      liveRegion = document.createElement('div');
      liveRegion.className = 'govuk-visually-hidden';
      liveRegion.setAttribute('aria-live', 'polite');
      liveRegion.setAttribute('role', 'status');
      document.body.appendChild(liveRegion);
    }
    liveRegion.textContent = '';
    window.setTimeout(function () { liveRegion.textContent = message; }, 50);
  }

  // "1,234" -> "1234"; blanks stay blank (missing, not 0). A "%" stays, for the
  // page to say whether the box takes it: a target's does, a figure's never (a
  // percentage is its numerator and denominator), and a dropped one turned 50%
  // into a count of 50.
  function cleanValue(raw) {
    var value = raw.replace(/\u00a0/g, ' ').trim();
    if (/^[-+]?[\d,]*\.?\d+%?$/.test(value.replace(/\s/g, ''))) {
      value = value.replace(/\s/g, '').replace(/,/g, '');
    }
    return value;
  }

  // The clipboard as lines of cleaned cells.
  function splitClipboard(text) {
    var rows = text.replace(/\r\n?/g, '\n').split('\n');
    // Excel ends a copied range with a newline.
    while (rows.length && rows[rows.length - 1] === '') {
      rows.pop();
    }
    return rows.map(function (row) { return row.split('\t').map(cleanValue); });
  }

  // "72/100" -> ["72", "100"]; anything else ("N/A" too) -> null.
  function splitRatio(cell) {
    var parts = cell.split('/').map(cleanValue);
    var number = /^[-+]?\d*\.?\d+$/;
    if (parts.length !== 2 || !number.test(parts[0]) || !number.test(parts[1])) {
      return null;
    }
    return parts;
  }

  // Whether a cleaned cell is a figure the boxes take: a number (its thousands
  // commas and spaces gone, a "%" kept for the page to judge), "72/100" or blank.
  function isFigure(cell) {
    return cell === '' || /^[-+]?\d*\.?\d+%?$/.test(cell) || splitRatio(cell) !== null;
  }

  // "1st", "2nd", "3rd", "11th", "22nd"...
  function ordinal(n) {
    var teens = n % 100 >= 11 && n % 100 <= 13;
    return n + (teens ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] || 'th');
  }

  // A line copied with its row's heading ("Overall crime", then its figures)
  // loses the heading, which would take the first box and shift every figure
  // along one; any other cell that is not a figure stops the paste. Returns
  // {lines, headings} or {problem}.
  function withoutHeadings(lines) {
    var headings = [];
    var kept = [];
    for (var l = 0; l < lines.length; l += 1) {
      var cells = lines[l];
      var rest = cells.slice(1);
      if (cells.length > 1 && !isFigure(cells[0]) && rest.every(isFigure) &&
          rest.some(isFilled)) {
        headings.push(cells[0]);
        cells = rest;
      }
      var offset = lines[l].length - cells.length; // 1 when a heading was left out
      for (var c = 0; c < cells.length; c += 1) {
        if (!isFigure(cells[c])) {
          var where = lines.length === 1 ? 'the ' + ordinal(c + offset + 1) + ' cell' :
            lines[l].length === 1 ? 'the ' + ordinal(l + 1) + ' line' :
            'cell ' + (c + offset + 1) + ' of the ' + ordinal(l + 1) + ' line';
          return { problem: '\'' + cells[c] + '\' (' + where + ') is not a number' };
        }
      }
      kept.push(cells);
    }
    return { lines: kept, headings: headings };
  }

  // The figures pasted, one list of cells per row of the grid: a line each,
  // or a cell each when a single line was copied (a row from Excel), except
  // two plain cells pasted into a two-box row, which are its two parts.
  function figuresFor(lines, firstRowBoxes) {
    if (lines.length > 1) {
      return lines;
    }
    var cells = lines[0];
    if (firstRowBoxes === 2 && cells.length === 2 && !splitRatio(cells[0])) {
      return [cells];
    }
    return cells.map(function (cell) { return [cell]; });
  }

  // What a row's boxes get from one pasted figure, or null if it does not fit.
  function boxValues(cells, boxes) {
    var filled = cells.filter(function (cell) { return cell !== ''; });
    if (boxes === 0) {
      return filled.length ? null : [];
    }
    if (boxes === 1) {
      return filled.length <= 1 ? [filled.length ? filled[0] : ''] : null;
    }
    if (filled.length === 0) {
      return ['', ''];
    }
    if (cells.length === 2) {
      // One part alone would be paired with the other box's stored part.
      return filled.length === 2 ? cells : null;
    }
    return filled.length === 1 ? splitRatio(filled[0]) : null;
  }

  function isFilled(value) {
    return value !== '';
  }

  // ["April", "May", "June"] -> "April, May and June"
  function listed(names) {
    if (names.length < 2) {
      return names.join('');
    }
    return names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
  }

  // The rows a paste filled, each named: the sheet lists indicators by theme group, not
  // code order, so "A to B" would take in rows nothing went into. Past five, the first
  // three and how many more ("SP 02, SP 03, SP 06 and 4 more").
  function rowsNamed(names) {
    if (names.length > 5) {
      return names.slice(0, 3).join(', ') + ' and ' + (names.length - 3) + ' more';
    }
    return listed(names);
  }

  // A row's short name: a month sheet's indicator by its code (its link, kept on one
  // line: "SP\u00a006"), else rowName.
  function shortName(row) {
    var link = row && row.querySelector('th a');
    return link ? link.textContent.replace(/\s+/g, '\u00a0').trim() : rowName(row);
  }

  function rowName(row) {
    var heading = row && row.querySelector('th');
    if (!heading) {
      return 'a row';
    }
    var copy = heading.cloneNode(true);
    Array.prototype.forEach.call(
      copy.querySelectorAll('.app-sheet__meta, .govuk-visually-hidden'),
      function (part) { part.parentNode.removeChild(part); }
    );
    return copy.textContent.replace(/\s+/g, ' ').trim();
  }

  // The grid's rows of boxes, in page order: each the boxes of one figure
  // (none for a row not open yet).
  function gridRows(grid) {
    var rows = [];
    var byRow = [];
    Array.prototype.forEach.call(
      grid.querySelectorAll('input[data-paste-cell], [data-paste-closed]'),
      function (input) {
        if (input.disabled || input.readOnly) {
          return;
        }
        var row = input.closest('tr');
        if (!row) {
          return;
        }
        var index = byRow.indexOf(row);
        if (index === -1) {
          byRow.push(row);
          rows.push({ element: row, inputs: [] });
          index = rows.length - 1;
        }
        if (input.tagName === 'INPUT') {
          rows[index].inputs.push(input);
        }
      }
    );
    return rows;
  }

  // The message about a paste, in a row of its own under the row pasted into,
  // where the person is looking (the top of a long sheet may be off screen);
  // shown afresh for each paste. A problem is an alert, which screen readers
  // say at once; a result is said politely.
  function showMessage(grid, row, message, isProblem, link) {
    var old = grid.querySelector('[data-paste-message-row]');
    if (old) {
      old.parentNode.removeChild(old);
    }
    var box = document.createElement('p');
    box.setAttribute('data-paste-message', '');
    box.textContent = message;
    if (link) {
      var anchor = document.createElement('a');
      anchor.className = 'govuk-link';
      anchor.href = link.href;
      anchor.textContent = link.text;
      box.appendChild(anchor);
      box.appendChild(document.createTextNode('.'));
    }
    if (isProblem) {
      box.className = 'govuk-error-message govuk-!-margin-bottom-0';
      box.setAttribute('role', 'alert');
    } else {
      box.className = 'govuk-inset-text govuk-!-margin-0';
      announce(message);
    }
    var holder = document.createElement('tr');
    holder.className = 'govuk-table__row';
    holder.setAttribute('data-paste-message-row', '');
    var cell = document.createElement('td');
    cell.className = 'govuk-table__cell';
    cell.colSpan = Array.prototype.reduce.call(
      row.element.cells, function (sum, each) { return sum + each.colSpan; }, 0
    );
    cell.appendChild(box);
    holder.appendChild(cell);
    row.element.parentNode.insertBefore(holder, row.element.nextSibling);
  }

  function fire(input, type) {
    var event;
    if (typeof Event === 'function') {
      event = new Event(type, { bubbles: true });
    } else {
      event = document.createEvent('Event');
      event.initEvent(type, true, false);
    }
    input.dispatchEvent(event);
  }

  function onPaste(event) {
    var target = event.target;
    if (!target || target.tagName !== 'INPUT' || !target.closest) {
      return;
    }
    var grid = target.closest('[data-paste-grid]');
    if (!grid) {
      return;
    }
    var clipboard = event.clipboardData || window.clipboardData;
    if (!clipboard) {
      return;
    }
    var text = clipboard.getData('text/plain') || clipboard.getData('Text') || '';
    var rows = gridRows(grid);
    var start = -1;
    rows.forEach(function (row, index) {
      if (row.inputs.indexOf(target) !== -1) {
        start = index;
      }
    });
    if (start === -1) {
      return;
    }
    var single = !/[\t\n\r]/.test(text);
    if (single && !(rows[start].inputs.length === 2 && splitRatio(text))) {
      return; // a single value: let the browser paste it into this box
    }

    event.preventDefault();
    var lines = splitClipboard(text);
    if (!lines.length) {
      return;
    }
    var checked = withoutHeadings(lines);
    if (checked.problem) {
      showMessage(grid, rows[start], 'Nothing was pasted: ' + checked.problem + '.', true);
      return;
    }
    lines = checked.lines;
    var figures = figuresFor(lines, rows[start].inputs.length);
    var quarterly = grid.getAttribute('data-paste-quarterly');
    var room = rows.length - start;
    var reach = figures.length; // the rows up to the last figure: trailing blank cells fill none
    while (reach > 0 && !figures[reach - 1].some(isFilled)) {
      reach -= 1;
    }
    var blanksIn = reach - figures.slice(0, reach).filter(function (cells) {
      return cells.some(isFilled);
    }).length;
    var sheet = grid.getAttribute('data-paste-sheet');
    if (sheet !== null && lines.length === 1 && reach > 1) {
      var reached = rows.slice(start, start + Math.min(reach, room)).map(function (row) {
        return shortName(row.element);
      });
      var pk = rows[start].inputs.length && /^i(\d+)-/.exec(rows[start].inputs[0].name);
      var grids = 'To enter one indicator\'s months, use its year grid';
      showMessage(grid, rows[start], 'Nothing was pasted: a row of ' + reach +
        ' cells would fill ' + rowsNamed(reached) + ', and each box on this page is a ' +
        'different indicator. ' + grids + (pk ? ': ' : '.'), true, pk ? {
          href: sheet.replace('{pk}', pk[1]),
          text: reached[0] + ' figures for ' + grid.getAttribute('data-paste-sheet-year')
        } : null);
      return;
    }
    if (grid.hasAttribute('data-paste-year') && start > 0 && reach > room) {
      showMessage(grid, rows[start], 'Nothing was pasted: there are ' + room + ' months from ' +
        rowName(rows[start].element) + ' on, not ' + reach +
        (blanksIn ? ' cells, ' + blanksIn + ' of them blank' : ' figures') +
        '. To paste a whole year, click the first box (' + rowName(rows[0].element) +
        ') and paste again.', true);
      return;
    }
    if (quarterly && reach > room) {
      var blanks = blanksIn;
      showMessage(grid, rows[start], 'Nothing was pasted. ' + quarterly + ' is quarterly: ' +
        'paste one figure per quarter (' + room + ' at most), not ' + reach +
        (blanks ? ' cells, ' + blanks + ' of them blank.' : '.'), true);
      return;
    }
    var placed = figures.slice(0, room);
    var fills = [];
    var kept = []; // the rows holding a figure that a blank cell left as they were
    var problems = [];
    placed.forEach(function (cells, index) {
      var row = rows[start + index];
      var values = boxValues(cells, row.inputs.length);
      if (values === null) {
        problems.push(rowName(row.element) + [
          ' is not open yet',
          ' takes one figure, not ' + cells.length,
          ' needs a numerator and a denominator, like 72/100 or two cells side by side'
        ][row.inputs.length]);
      } else if (values.some(isFilled)) {
        fills.push({ element: row.element, inputs: row.inputs, values: values });
      } else if (row.inputs.some(function (input) { return isFilled(input.value); })) {
        kept.push(rowName(row.element));
      }
    });

    if (problems.length) {
      showMessage(grid, rows[start], 'Nothing was pasted: ' + problems.join('; ') + '.', true);
      return;
    }
    fills.forEach(function (fill) {
      fill.inputs.forEach(function (input, index) {
        if (!isFilled(fill.values[index])) {
          return; // a blank part of a figure leaves its box as it was
        }
        input.value = fill.values[index];
        fire(input, 'input');
        fire(input, 'change');
      });
    });

    var named = sheet === null ? '' : ': ' + rowsNamed(fills.map(function (fill) {
      return shortName(fill.element);
    }));
    var message = fills.length ? 'Pasted ' + fills.length +
      (fills.length === 1 ? ' figure' : ' figures') + named + '.' : 'No figures were pasted.';
    if (kept.length) {
      message += ' ' + kept.length + (kept.length === 1 ? ' blank cell left ' : ' blank cells left ') +
        listed(kept) + (kept.length === 1 ? ' as it was' : ' as they were') +
        ': to clear a figure, delete it in its box.';
    }
    var leftOver = figures.slice(placed.length).filter(function (cells) {
      return cells.some(isFilled);
    }).length;
    if (leftOver > 0) {
      message += ' ' + leftOver + (leftOver === 1 ? ' figure was' : ' figures were') +
        ' left out: there were no more rows.';
    }
    var headings = checked.headings.map(function (heading) { return '\'' + heading + '\''; });
    if (headings.length === 1) {
      message += ' The first cell, ' + headings[0] +
        ', was taken as the row\'s heading and left out.';
    } else if (headings.length > 1) {
      message += ' The first cells, ' + listed(headings) +
        ', were taken as the rows\' headings and left out.';
    }
    showMessage(grid, rows[start], message, false);
  }

  document.addEventListener('paste', onPaste);

  // Printing --------------------------------------------------------------
  //
  // Closed <details> (such as a chart's data table) would print closed:
  // open them for printing and close them again afterwards.

  var openedForPrint = [];

  window.addEventListener('beforeprint', function () {
    openedForPrint = Array.prototype.filter.call(
      document.querySelectorAll('details:not([open])'),
      function (details) { details.open = true; return true; }
    );
  });

  window.addEventListener('afterprint', function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });

  // Tables that scroll sideways ------------------------------------------
  //
  // A link or button reached by Tab inside a table scrolled sideways may show
  // only its edge: the browser scrolls nothing into view that already shows a
  // little. Bring the whole of it into view (WCAG 2.4.11, focus not obscured).

  document.addEventListener('focusin', function (event) {
    if (event.target.closest && event.target.closest('.app-table-scroll') &&
        !event.target.classList.contains('app-table-scroll')) {
      event.target.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  });

  // A table's box is a Tab stop (tabindex="0" in the page, for a reader without scripts)
  // only while the table is wider than it, so the keyboard can scroll it: a box whose
  // table fits is a stop that does nothing (a report had 26 of them). Kept up to date
  // as the box changes width (the window, a <details> opened).

  function focusableWhileItScrolls(box) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute('tabindex', '0');
    } else {
      box.removeAttribute('tabindex');
    }
  }

  if ('ResizeObserver' in window) {
    var scrollBoxes = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        focusableWhileItScrolls(entry.target.closest('.app-table-scroll'));
      });
    });
    document.querySelectorAll('.app-table-scroll[tabindex]').forEach(function (box) {
      scrollBoxes.observe(box);
      if (box.firstElementChild) scrollBoxes.observe(box.firstElementChild);
    });
  }

  // Exposed for tests run in a browser.
  window.CSPPortal = {
    splitClipboard: splitClipboard, cleanValue: cleanValue, splitRatio: splitRatio
  };
})();
