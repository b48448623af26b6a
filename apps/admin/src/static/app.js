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
 * A running CSV import's panel (data-import-progress="<jobId>"), kept live over SSE: the bar and
 * its label change in place, so focus and a screen reader's place stay put (no reloads). 書き込み中
 * is announced politely; at the end the page reloads to show the result, whose panel takes focus
 * (focusOnLoad) and so is read.
 */
function followImport() {
  const panel = document.querySelector('[data-import-progress]');
  if (!panel) return;
  const id = panel.getAttribute('data-import-progress');
  const source = new EventSource(`/employees/import/${encodeURIComponent(id)}/events`);
  source.addEventListener('progress', (event) => {
    const progress = JSON.parse(event.data);
    const turned = progress.phase !== panel.getAttribute('data-phase');
    renderImport(panel, progress);
    if (turned && progress.phase === 'writing') announce(progress.label, { polite: true });
  });
  source.addEventListener('end', (event) => {
    source.close();
    const progress = JSON.parse(event.data);
    renderImport(panel, progress);
    window.location.reload();
  });
  // The stream could not open or broke off (a restart): show the page as it is now, a little later.
  source.onerror = () => {
    source.close();
    setTimeout(() => window.location.reload(), 3000);
  };
}

function renderImport(panel, progress) {
  panel.setAttribute('data-phase', progress.phase);
  const label = panel.querySelector('[data-import-label]');
  if (label) label.textContent = progress.label;
  const bar = panel.querySelector('progress');
  if (!bar) return;
  if (progress.phase === 'writing') {
    // The write has no measure: an indeterminate bar (no value), still named by its label.
    bar.removeAttribute('value');
    bar.removeAttribute('max');
    bar.textContent = '書き込み中';
  } else {
    bar.max = Math.max(progress.totalBytes, 1);
    bar.value = progress.bytesRead;
    bar.textContent = `${progress.percent}%`;
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

/**
 * Says a message through the page's live region: assertive at once (a failed run), or polite, in
 * its turn (an import's 書き込み中).
 */
function announce(message, { polite = false } = {}) {
  const region = document.querySelector(polite ? '[data-status-region]' : '[data-alert-region]');
  if (!region) return;
  region.textContent = '';
  // A region must exist, empty, before its text changes for a screen reader to speak it.
  setTimeout(() => {
    region.textContent = message;
  }, 250);
}

/** An alert a reload carried over (see followRuns). */
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

/**
 * A form's error summary, or what a page was served to say (an import's result, a form-wide error:
 * `data-focus-on-load`), takes focus, so a screen reader reads it first: a role="alert" already in
 * the page when it loads is usually not spoken. The first one in the page wins.
 */
function focusOnLoad() {
  const target = document.querySelector('[data-error-summary], [data-focus-on-load]');
  if (target) target.focus();
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
followImport();
selectPage();
rememberArea();
modalDialogs();
stickyBarPadding();
focusOnLoad();
focusFragment();
announceCarried();
