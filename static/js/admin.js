/* The Django admin's autocomplete boxes (select2) have no accessible name: their
   combobox is labelled by the choice shown, empty until one is made, and their search
   box by nothing. Name each after its field's label, and each search box "Search",
   including those select2 adds later (a dropdown opened, an inline row added). */
(function () {
  'use strict';

  function labelText(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, '').trim() : '';
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

  window.addEventListener('load', function () {
    name();
    new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
  });
})();
