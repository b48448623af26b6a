// Progressive enhancement only: every page works without this file.

/** Live run progress over SSE: updates every element marked data-run-progress="<runId>". */
function followRuns() {
  const nodes = document.querySelectorAll('[data-run-progress]');
  const byRun = new Map();
  for (const node of nodes) {
    const id = node.getAttribute('data-run-progress');
    if (!byRun.has(id)) byRun.set(id, []);
    byRun.get(id).push(node);
  }
  for (const [id, targets] of byRun) {
    const source = new EventSource(`/runs/${encodeURIComponent(id)}/events`);
    source.addEventListener('progress', (event) => {
      const progress = JSON.parse(event.data);
      for (const target of targets) render(target, progress);
    });
    source.addEventListener('end', (event) => {
      source.close();
      const progress = JSON.parse(event.data);
      for (const target of targets) render(target, progress);
      if (targets.some((target) => target.hasAttribute('data-reload-on-end'))) {
        // The reload would cut the announcement short: the reloaded page makes it.
        if (progress.alert) sessionStorage.setItem(ALERT_KEY, progress.statusTitle);
        window.location.reload();
      } else if (progress.alert) {
        announce(progress.statusTitle);
      }
    });
    source.onerror = () => source.close();
  }
}

function render(target, progress) {
  const bar = target.querySelector('progress');
  if (bar) {
    bar.max = Math.max(progress.total, 1);
    bar.value = progress.processed;
  }
  const keys = [
    'processed',
    'total',
    'created',
    'updated',
    'already_present',
    'skipped',
    'failed',
    'ambiguous',
  ];
  for (const key of [...keys, 'not_attempted']) {
    const slot = target.querySelector(`[data-count="${key}"]`);
    if (slot && progress[key] !== undefined) slot.textContent = Number(progress[key]).toLocaleString('ja-JP');
  }
  for (const status of target.querySelectorAll('[data-run-status]')) {
    status.textContent = progress.statusLabel;
    status.setAttribute('data-run-status', progress.status);
    status.className = `badge badge-${progress.statusTone}`;
  }
}

/**
 * The header checkbox of a picker page ticks or clears every selectable row on the page; the
 * selection bar counts the rows ticked here plus those carried from other pages and filters.
 */
function selectPage() {
  for (const toggle of document.querySelectorAll('[data-select-page]')) {
    const form = toggle.closest('form');
    const counter = form.querySelector('[data-carried]');
    const selectAll = form.querySelector('input[name="all"]');
    const boxes = () => [...form.querySelectorAll('input[type="checkbox"][name="code"]:not(:disabled)')];
    // 別人の可能性 rows are ticked one by one, never by the page's box.
    const pageBoxes = () => boxes().filter((box) => !box.hasAttribute('data-deliberate'));
    // The counter is read from the boxes as they are now: after Back the browser restores their
    // state after this script ran, so it is read again on pageshow and load.
    const sync = () => {
      const ticked = boxes().filter((box) => box.checked).length;
      const onPage = pageBoxes();
      const pageTicked = onPage.filter((box) => box.checked).length;
      toggle.checked = onPage.length > 0 && pageTicked === onPage.length;
      toggle.indeterminate = !toggle.checked && pageTicked > 0;
      if (counter) {
        const carried = Number(counter.getAttribute('data-carried'));
        counter.textContent = selectAll?.checked
          ? ''
          : `選択中: ${(carried + ticked).toLocaleString('ja-JP')} 名`;
      }
    };
    toggle.hidden = false;
    toggle.addEventListener('change', () => {
      for (const box of pageBoxes()) box.checked = toggle.checked;
      sync();
    });
    form.addEventListener('change', (event) => {
      if (event.target !== toggle) sync();
    });
    window.addEventListener('pageshow', sync);
    window.addEventListener('load', sync);
    sync();
  }
}

/**
 * The データ領域 step remembers the admin's choice for browser Back (and only for Back: a new visit
 * starts from the current year the server preselects).
 */
function rememberArea() {
  for (const form of document.querySelectorAll('form[data-area-step]')) {
    const key = `renkei:area:${form.getAttribute('data-area-step')}`;
    const confirmOlder = form.querySelector('input[name="confirmOlder"]');
    form.addEventListener('change', () => {
      const chosen = form.querySelector('input[name="dataArea"]:checked');
      if (!chosen) return;
      sessionStorage.setItem(
        key,
        JSON.stringify({ area: chosen.value, older: Boolean(confirmOlder?.checked) }),
      );
    });
    const restore = (event) => {
      const navigation = performance.getEntriesByType('navigation')[0];
      if (!event.persisted && navigation?.type !== 'back_forward') return;
      let saved;
      try {
        saved = JSON.parse(sessionStorage.getItem(key) ?? 'null');
      } catch {
        return;
      }
      const radio =
        saved &&
        [...form.querySelectorAll('input[name="dataArea"]')].find((input) => input.value === saved.area);
      if (!radio) return;
      radio.checked = true;
      if (confirmOlder) confirmOlder.checked = saved.older;
    };
    window.addEventListener('pageshow', restore);
  }
}

const ALERT_KEY = 'renkei:alert';

/** Says a message at once (a failed run), through the page's assertive live region. */
function announce(message) {
  const region = document.querySelector('[data-alert-region]');
  if (!region) return;
  region.textContent = '';
  // A region must exist, empty, before its text changes for a screen reader to speak it.
  setTimeout(() => {
    region.textContent = message;
  }, 250);
}

/** An announcement a reload carried over (see followRuns). */
function announceCarried() {
  const message = sessionStorage.getItem(ALERT_KEY);
  if (!message) return;
  sessionStorage.removeItem(ALERT_KEY);
  announce(message);
}

/**
 * The 確認 dialog, served open so it works without JavaScript, becomes modal: focus moves into it
 * and stays there, the page behind is inert, and Esc leaves it like 戻る does — back to the picker,
 * where focus returns to 確認へ進む, the button that opened it.
 */
function modalDialogs() {
  for (const dialog of document.querySelectorAll('dialog[data-modal][open]')) {
    dialog.close();
    dialog.showModal();
    document.documentElement.classList.add('has-modal');
    dialog.addEventListener('cancel', (event) => {
      const href = dialog.getAttribute('data-cancel-href');
      if (!href) return;
      event.preventDefault();
      window.location.assign(href);
    });
  }
}

/** A fragment naming a control (…#confirm-opener) puts focus on it: where a dialog returns focus. */
function focusFragment() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  if (target?.matches('button, input, select, textarea, a[href]')) target.focus();
}

/** A form's error summary takes focus, so its list of mistakes is read first. */
function focusErrorSummary() {
  const summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
}

/**
 * Focus must never hide under the sticky selection bar (WCAG 2.4.11): the page scrolls with a
 * bottom padding the bar's height, measured as it changes.
 */
function stickyBarPadding() {
  const bar = document.querySelector('.selection-bar');
  if (!bar) return;
  const update = () => {
    const sticky = getComputedStyle(bar).position === 'sticky';
    const height = sticky ? bar.getBoundingClientRect().height : 0;
    document.documentElement.style.setProperty('--sticky-bottom', `${Math.ceil(height)}px`);
  };
  new ResizeObserver(update).observe(bar);
  window.addEventListener('resize', update);
  update();
}

followRuns();
selectPage();
rememberArea();
modalDialogs();
stickyBarPadding();
focusErrorSummary();
focusFragment();
announceCarried();
reloadWhileRunning();

/** A page marked data-reload-after="<ms>" (a running CSV import) reloads itself to show progress. */
function reloadWhileRunning() {
  const node = document.querySelector('[data-reload-after]');
  if (node)
    setTimeout(() => window.location.reload(), Number(node.getAttribute('data-reload-after')) || 1000);
}
