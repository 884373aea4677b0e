/* CSP Portal page behaviour. Plain ES2017, no framework, no network.
   GOV.UK Frontend components are started by initAll() in base.html. */
(function () {
  'use strict';

  // Excel paste helper ------------------------------------------------------
  //
  // Pasting a block copied from a spreadsheet into an <input> inside an
  // element with data-paste-grid fills that input and the ones after it
  // (inputs with data-paste-cell, in page order). Excel separates cells with
  // tabs and rows with newlines, so a row, a column or a block all work: the
  // values are taken row by row, left to right.

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

  // "1,234" -> "1234", "12.5%" -> "12.5"; blanks stay blank (missing, not 0).
  function cleanValue(raw) {
    var value = raw.replace(/\u00a0/g, ' ').trim();
    if (/^[-+]?[\d,]*\.?\d+%?$/.test(value.replace(/\s/g, ''))) {
      value = value.replace(/\s/g, '').replace(/,/g, '');
    }
    return value.replace(/\s*%$/, '');
  }

  function splitClipboard(text) {
    var rows = text.replace(/\r\n?/g, '\n').split('\n');
    // Excel ends a copied range with a newline.
    while (rows.length && rows[rows.length - 1] === '') {
      rows.pop();
    }
    var values = [];
    rows.forEach(function (row) {
      row.split('\t').forEach(function (cell) {
        values.push(cleanValue(cell));
      });
    });
    return values;
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
    if (!/[\t\n\r]/.test(text)) {
      return; // a single value: let the browser paste it
    }

    var cells = Array.prototype.filter.call(
      grid.querySelectorAll('input[data-paste-cell]'),
      function (input) { return !input.disabled && !input.readOnly; }
    );
    var start = cells.indexOf(target);
    if (start === -1) {
      return;
    }

    event.preventDefault();
    var values = splitClipboard(text);
    var targets = cells.slice(start, start + values.length);
    targets.forEach(function (input, index) {
      input.value = values[index];
      fire(input, 'input');
      fire(input, 'change');
    });

    var message = 'Pasted ' + targets.length + (targets.length === 1 ? ' value' : ' values') + '.';
    var leftOver = values.length - targets.length;
    if (leftOver > 0) {
      message += ' ' + leftOver + (leftOver === 1 ? ' value was' : ' values were') +
        ' left out: there were no more boxes.';
    }
    announce(message);
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

  // Exposed for tests run in a browser.
  window.CSPPortal = { splitClipboard: splitClipboard, cleanValue: cleanValue };
})();
