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
  for (const key of ['processed', 'total', 'created', 'updated', 'stale', 'failed']) {
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
    const sync = () => {
      const all = boxes();
      const ticked = all.filter((box) => box.checked).length;
      toggle.checked = all.length > 0 && ticked === all.length;
      toggle.indeterminate = !toggle.checked && ticked > 0;
      if (counter) {
        const carried = Number(counter.getAttribute('data-carried'));
        counter.textContent = selectAll?.checked
          ? ''
          : `選択中: ${(carried + ticked).toLocaleString('ja-JP')} 名`;
      }
    };
    toggle.hidden = false;
    toggle.addEventListener('change', () => {
      for (const box of boxes()) box.checked = toggle.checked;
      sync();
    });
    form.addEventListener('change', (event) => {
      if (event.target !== toggle) sync();
    });
    sync();
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
autoSubmit();
reloadWhileRunning();

/** A page marked data-reload-after="<ms>" (a running CSV import) reloads itself to show progress. */
function reloadWhileRunning() {
  const node = document.querySelector('[data-reload-after]');
  if (node)
    setTimeout(() => window.location.reload(), Number(node.getAttribute('data-reload-after')) || 1000);
}
