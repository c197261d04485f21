/* Doitong portal: progressive enhancements only. Every page works without this file;
   it adds copy buttons and turns the quick-start sections into tabs. No inline scripts (the Content-Security-Policy forbids them). */
(function () {
  'use strict';

  function copyText(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute('data-copied-label') || label;
      button.classList.add('copied');
      setTimeout(function () { button.textContent = label; button.classList.remove('copied'); }, 1600);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } catch (e) { /* nothing else to try */ }
    document.body.removeChild(area);
  }

  // Copy buttons on code samples (added here, so they never show without JavaScript).
  document.querySelectorAll('figure.code').forEach(function (figure) {
    var pre = figure.querySelector('pre');
    var head = figure.querySelector('.code-head');
    if (!pre || !head) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-small copy-button';
    button.textContent = figure.getAttribute('data-copy-label') || 'Copy';
    button.setAttribute('data-copied-label', figure.getAttribute('data-copied-label') || 'Copied');
    var lang = head.querySelector('.code-lang');
    if (lang) button.setAttribute('aria-label', button.textContent + ': ' + lang.textContent);
    button.addEventListener('click', function () { copyText(pre.textContent, button); });
    head.appendChild(button);
  });

  // Copy buttons already in the page (secrets), hidden until this script runs.
  document.querySelectorAll('[data-copy-target]').forEach(function (button) {
    var target = document.querySelector(button.getAttribute('data-copy-target'));
    if (!target) return;
    button.hidden = false;
    button.addEventListener('click', function () { copyText(target.textContent.trim(), button); });
  });

  // Tabs (WAI-ARIA tabs pattern); without JavaScript every panel shows with its heading.
  document.querySelectorAll('[data-tabs]').forEach(function (container) {
    var list = container.querySelector('[role="tablist"]');
    var tabs = Array.prototype.slice.call(container.querySelectorAll('[role="tab"]'));
    if (!list || !tabs.length) return;
    list.hidden = false;
    container.classList.add('tabs-ready');
    function select(tab, focus) {
      tabs.forEach(function (other) {
        var selected = other === tab;
        other.setAttribute('aria-selected', selected ? 'true' : 'false');
        other.tabIndex = selected ? 0 : -1;
        var panel = document.getElementById(other.getAttribute('aria-controls'));
        if (panel) panel.hidden = !selected;
      });
      if (focus) tab.focus();
    }
    tabs.forEach(function (tab, index) {
      tab.addEventListener('click', function () { select(tab, false); });
      tab.addEventListener('keydown', function (event) {
        var next = null;
        if (event.key === 'ArrowRight') next = tabs[(index + 1) % tabs.length];
        else if (event.key === 'ArrowLeft') next = tabs[(index - 1 + tabs.length) % tabs.length];
        else if (event.key === 'Home') next = tabs[0];
        else if (event.key === 'End') next = tabs[tabs.length - 1];
        if (next) { event.preventDefault(); select(next, true); }
      });
    });
    select(tabs[0], false);
  });
})();
