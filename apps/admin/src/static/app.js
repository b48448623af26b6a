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
      if (targets.some((target) => target.hasAttribute('data-reload-on-end'))) window.location.reload();
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

/** Selects in a filter bar submit their form on change. */
function autoSubmit() {
  for (const select of document.querySelectorAll('select[data-auto-submit]')) {
    select.addEventListener('change', () => select.form?.requestSubmit());
  }
}

followRuns();
selectPage();
rememberArea();
autoSubmit();
