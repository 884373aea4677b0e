/* The Django admin's autocomplete boxes (select2) have no accessible name: their
   combobox is labelled by the choice shown, empty until one is made, and their search
   box by nothing. Name each after its field's label (in an inline's table, the name the
   page gives its select: "User, membership 2"), and each search box "Search", including
   those select2 adds later (a dropdown opened, an inline row added).
   A row added to an inline's table is a copy of its template row, whose boxes are named
   "Name, new theme group": number them as the page numbers its own rows ("Name, theme
   group 4"), and again when an added row is removed and those after it move up. */
(function () {
  'use strict';

  function labelText(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) return label.textContent.replace(/:\s*$/, '').trim();
    return select.getAttribute('aria-label') || '';
  }

  function numberRows(prefix) {
    document.querySelectorAll('tr.dynamic-' + prefix).forEach(function (row) {
      var number = parseInt(row.id.split('-').pop(), 10) + 1;
      if (isNaN(number)) return;
      row.querySelectorAll('[aria-label]').forEach(function (box) {
        var named = box.getAttribute('aria-label').replace(/^(.*), (?:new )?(.*?)(?: \d+)?$/, '$1, $2 ' + number);
        box.setAttribute('aria-label', named);
      });
    });
  }

  function name() {
    document.querySelectorAll('select.admin-autocomplete').forEach(function (select) {
      var text = labelText(select);
      var next = select.nextElementSibling;
      var box = next && next.querySelector('.select2-selection');
      if (text && box) {
        box.setAttribute('aria-label', text);
        box.removeAttribute('aria-labelledby');
        var shown = box.querySelector('.select2-selection__rendered[role="textbox"]');
        if (shown) shown.setAttribute('aria-label', text);
        var search = next.querySelector('.select2-search__field');
        if (search) search.setAttribute('aria-label', 'Search ' + text.toLowerCase());
      }
    });
    document.querySelectorAll('.select2-search__field:not([aria-label])').forEach(function (field) {
      field.setAttribute('aria-label', 'Search');
    });
  }

  document.addEventListener('formset:added', function (event) {
    numberRows(event.detail.formsetName);
  });
  document.addEventListener('formset:removed', function (event) {
    // Django renumbers the rows after it says one is removed.
    var prefix = event.detail.formsetName;
    setTimeout(function () { numberRows(prefix); }, 0);
  });

  window.addEventListener('load', function () {
    name();
    new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
  });
})();
