// The review studio's page: plain browser JavaScript, no build step. Data comes from the
// studio's JSON API; diffs are drawn by diff2html (with highlight.js), served beside this file.
'use strict';

(() => {
  const token = document.querySelector('meta[name="review-token"]').content;
  const $ = (selector, root = document) => root.querySelector(selector);
  const state = { rows: new Map(), order: [], filter: 'all', selected: undefined, open: undefined, questions: [], detail: undefined };

  // ---- talking to the studio ----------------------------------------------------------------

  async function api(path, options = {}) {
    const response = await fetch(path, { ...options, headers: { 'x-review-token': token, ...(options.body ? { 'content-type': 'application/json' } : {}) } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
    return body;
  }

  async function loadRows() {
    const data = await api('/api/bugs');
    state.questions = data.questions;
    $('#root').textContent = data.root + (data.mode === 'watch' ? ' · watching' : '');
    state.rows = new Map(data.rows.map((row) => [row.key, row]));
    state.order = data.rows.map((row) => row.key);
    renderList();
  }

  function connect() {
    const events = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    events.addEventListener('hello', () => {
      setConnection('live', 'live');
      // Whatever changed while the connection was down.
      loadRows().then(() => state.open && openBug(state.open, { keepScroll: true })).catch(showError);
    });
    events.addEventListener('rows', (event) => {
      const rows = JSON.parse(event.data);
      for (const row of rows) {
        if (!state.rows.has(row.key)) state.order.push(row.key);
        state.rows.set(row.key, row);
      }
      renderList();
      if (state.open && rows.some((row) => row.key === state.open)) openBug(state.open, { keepScroll: true });
    });
    events.addEventListener('removed', (event) => {
      const keys = new Set(JSON.parse(event.data));
      for (const key of keys) state.rows.delete(key);
      state.order = state.order.filter((key) => !keys.has(key));
      renderList();
    });
    events.addEventListener('studio-error', (event) => showError(new Error(JSON.parse(event.data).message)));
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) {
        setConnection('lost', 'connection lost: the studio stopped or refused the token; start it again and open the URL it prints');
        setTimeout(connect, 3000);
      } else {
        setConnection('lost', 'connection lost — reconnecting…');
      }
    };
  }

  function setConnection(kind, text) {
    const element = $('#connection');
    element.className = `connection ${kind}`;
    element.textContent = text;
  }

  function showError(err) {
    setConnection('lost', `error: ${err.message}`);
  }

  // ---- the list -------------------------------------------------------------------------------

  const FILTERS = {
    all: () => true,
    failed: (row) => row.failed,
    differs: (row) => row.verdict === 'differs',
    'not-transferring': (row) => row.transfer !== undefined && row.transfer.exact < row.transfer.total,
    unreviewed: (row) => row.review === 'unreviewed' || row.review === 'needs-revision' || row.review === 'manual-authoring',
    stale: (row) => row.stale || row.review === 'stale',
  };

  function visibleKeys() {
    return state.order.filter((key) => state.rows.has(key) && FILTERS[state.filter](state.rows.get(key)));
  }

  function renderList() {
    const body = $('#rows');
    const keys = visibleKeys();
    if (!keys.includes(state.selected)) state.selected = keys[0];
    body.replaceChildren(...keys.map((key) => rowElement(state.rows.get(key))));
    $('#empty').hidden = keys.length > 0;
    const rows = [...state.rows.values()];
    const approved = rows.filter((row) => row.review === 'approved').length;
    const reviewable = rows.filter((row) => row.review !== 'not-reviewable').length;
    $('#summary').textContent = `${rows.length} bugs · ${rows.filter((row) => row.failed).length} failed · ${approved}/${reviewable} approved`;
    for (const button of document.querySelectorAll('#filters [data-filter]')) button.classList.toggle('active', button.dataset.filter === state.filter);
  }

  function rowElement(row) {
    const tr = document.createElement('tr');
    tr.dataset.key = row.key;
    tr.className = [row.key === state.selected ? 'selected' : '', row.key === state.open ? 'open' : ''].join(' ').trim();
    tr.append(
      cell(badge(row.verdict, verdictClass(row)), ...(row.stale ? [badge('stale', 'warn')] : [])),
      cell(text(row.id, 'bug-id')),
      cell(row.transfer ? badge(`${row.transfer.exact}/${row.transfer.total}`, row.transfer.worst === 'exact' ? 'ok' : row.transfer.worst === 'wrong' ? 'bad' : 'warn') : text('—', 'muted')),
      cell(row.review === 'not-reviewable' ? text('—', 'muted') : badge(row.review.replace('-', ' '), reviewClass(row.review))),
      cell(row.handWritten ? badge('hand-written', 'muted') : text(row.generator ? `${row.generator}${row.model ? ` (${row.model})` : ''}` : '—')),
    );
    tr.addEventListener('click', () => {
      state.selected = row.key;
      openBug(row.key);
    });
    return tr;
  }

  function verdictClass(row) {
    if (row.verdict === 'exact') return row.failed ? 'warn' : 'ok';
    if (row.verdict === 'patch-only') return row.failed ? 'bad' : 'muted';
    return row.failed ? 'bad' : 'warn';
  }

  function reviewClass(review) {
    return { approved: 'ok', stale: 'warn', unreviewed: 'muted', 'needs-revision': 'bad', 'manual-authoring': 'bad', 'not-reviewable': 'muted' }[review];
  }

  // ---- the detail pane ------------------------------------------------------------------------

  async function openBug(key, { keepScroll = false } = {}) {
    const pane = $('#detail');
    const scroll = pane.scrollTop;
    state.open = key;
    renderList();
    // Marked while a load is under way (tests wait for the pane to settle).
    const load = (state.loads = (state.loads || 0) + 1);
    pane.dataset.loading = 'true';
    let detail;
    try {
      detail = await api(`/api/bug?key=${encodeURIComponent(key)}`);
    } catch (err) {
      pane.replaceChildren(text(`Could not load ${key}: ${err.message}`, 'problem'));
      return;
    } finally {
      if (load === state.loads) delete pane.dataset.loading;
    }
    if (state.open !== key) return;
    // Opening the same bug again (a live update, a click) keeps what the reviewer is typing.
    const draft = state.detail && state.detail.row.key === key && sameReview(state.detail.row, detail.row) ? reviewDraft() : undefined;
    state.detail = detail;
    pane.replaceChildren(...detailSections(detail));
    if (draft) restoreReviewDraft(draft);
    pane.scrollTop = keepScroll ? scroll : 0;
  }

  function sameReview(a, b) {
    return (a.reviewRecord && a.reviewRecord.reviewed_at) === (b.reviewRecord && b.reviewRecord.reviewed_at);
  }

  function reviewDraft() {
    const form = $('#review-form');
    if (!form) return undefined;
    return { note: form.elements.note.value, checked: [...form.querySelectorAll('input[type="radio"]:checked')].map((input) => [input.name, input.value]) };
  }

  function restoreReviewDraft(draft) {
    const form = $('#review-form');
    if (!form) return;
    form.elements.note.value = draft.note;
    for (const [name, value] of draft.checked) {
      const input = form.querySelector(`input[name="${name}"][value="${value}"]`);
      if (input) input.checked = true;
    }
  }

  function detailSections(detail) {
    const { row } = detail;
    const sections = [headerSection(row)];
    const problems = row.findings.filter((f) => f.kind !== 'unreviewed' && f.kind !== 'review-stale');
    if (detail.inputError) sections.push(section('Inputs', text(detail.inputError, 'problem')));
    if (problems.length) sections.push(section('Problems', ...problems.map(findingElement)));
    if (row.review !== 'not-reviewable') sections.push(reviewSection(row));
    if (detail.symptom !== undefined) sections.push(section(`Symptom (${detail.symptomFile})`, pre(detail.symptom)));
    if (detail.patch !== undefined) sections.push(section('Patch', diffElement(detail.patch)));
    if (detail.reference) sections.push(section('Injected into the reference', ...injectionElements(detail.reference)));
    if (row.transfer || detail.variants) sections.push(transferSection(row, detail));
    if (detail.passes) sections.push(section(`JSON (${row.json})`, ...detail.passes.map(passGroupElement), rawJson(detail.jsonText)));
    return sections;
  }

  function headerSection(row) {
    const facts = [
      ['verdict', row.verdict],
      ['transfer', row.transfer ? `${row.transfer.exact}/${row.transfer.total} student-style variants exact (worst: ${row.transfer.worst})` : '—'],
      ['reference-bound', row.transfer && row.transfer.referenceBound ? row.transfer.referenceBound.join(', ') : 'no'],
      ['patch-only', row.patchOnly ? `yes${row.patchOnly.reason ? ` (${row.patchOnly.reason})` : ''}` : 'no'],
      ['generator', row.generator ? `${row.generator}${row.model ? ` · model ${row.model}` : ''}` : '—'],
      ['cost', row.costUsd !== undefined ? `$${row.costUsd.toFixed(4)}` : 'not recorded'],
      ['staleness', row.stale ? 'stale: generated from other inputs than the current ones' : row.verdict === 'missing' ? 'no JSON' : 'up to date'],
      ['files', `${row.key} → ${row.json}`],
    ];
    const list = document.createElement('dl');
    for (const [name, value] of facts) list.append(el('dt', name), el('dd', value));
    const head = el('h2', row.id);
    head.append(' ', badge(row.verdict, verdictClass(row)));
    return section(undefined, head, list);
  }

  function findingElement(finding) {
    const box = document.createElement('div');
    box.className = `finding ${finding.severity}`;
    box.append(text(`${finding.severity} · ${finding.kind}: ${finding.message}`), text(`fix: ${finding.fix}`, 'muted'));
    if (finding.detail) box.append(finding.detail.startsWith('===') || finding.detail.includes('\n@@') ? diffElement(finding.detail) : pre(finding.detail));
    return box;
  }

  function reviewSection(row) {
    const form = document.createElement('form');
    form.id = 'review-form';
    const record = row.reviewRecord;
    if (record) {
      const stale = row.review === 'stale' ? ' — STALE: the definition or its inputs changed since' : '';
      form.append(text(`Last review: ${record.status} by ${record.reviewer} on ${record.reviewed_at.slice(0, 16).replace('T', ' ')}${stale}`, row.review === 'stale' ? 'problem' : 'muted'));
    }
    for (const question of state.questions) {
      const fieldset = document.createElement('fieldset');
      fieldset.append(el('legend', question.question));
      for (const answer of ['yes', 'no', 'unsure']) {
        const label = document.createElement('label');
        const input = document.createElement('input');
        Object.assign(input, { type: 'radio', name: question.id, value: answer, checked: (record && row.review !== 'stale' ? record.answers[question.id] : 'unsure') === answer });
        label.append(input, ` ${answer}`);
        fieldset.append(label);
      }
      form.append(fieldset);
    }
    const note = document.createElement('textarea');
    Object.assign(note, { name: 'note', rows: 2, placeholder: 'note (optional)', value: record && record.note ? record.note : '' });
    form.append(note);
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    for (const [status, label] of [['approved', 'Approve (a)'], ['needs-revision', 'Needs revision'], ['manual-authoring', 'Manual authoring']]) {
      const button = el('button', label);
      Object.assign(button, { type: 'button', className: status === 'approved' ? 'primary' : '' });
      button.dataset.status = status;
      button.addEventListener('click', () => submitReview(row.key, status));
      buttons.append(button);
    }
    form.append(buttons, el('p', ''));
    form.lastChild.id = 'review-message';
    return section('Review (the migration guide’s questions)', form);
  }

  async function submitReview(key, status) {
    const row = state.rows.get(key);
    if (!row || row.review === 'not-reviewable' || !row.outputHash) return;
    const form = state.open === key ? $('#review-form') : undefined;
    const answers = {};
    for (const question of state.questions) {
      const picked = form ? $(`input[name="${question.id}"]:checked`, form) : undefined;
      answers[question.id] = status === 'approved' ? 'yes' : picked ? picked.value : 'unsure';
    }
    const note = form ? form.elements.note.value : '';
    const message = form ? $('#review-message', form) : undefined;
    try {
      await api('/api/review', { method: 'POST', body: JSON.stringify({ key, status, answers, note, outputHash: row.outputHash }) });
      if (message) message.textContent = `Recorded: ${status}.`;
    } catch (err) {
      if (message) message.textContent = `Not recorded: ${err.message}`;
      else showError(err);
    }
  }

  function injectionElements(view) {
    const parts = [text(`${view.outcome}${view.reason ? ` — ${view.reason}` : ''}`, view.outcome === 'exact' ? 'ok-text' : 'problem')];
    if (view.description) parts.unshift(text(view.description, 'muted'));
    if (view.outcome === 'no-match') parts.push(text('No match: the engine tells the student it could not inject this bug.', 'muted'));
    if (view.injectedDiff) parts.push(el('h4', 'what the definition does'), diffElement(view.injectedDiff));
    if (view.againstPatched) parts.push(el('h4', 'injected vs patched (should be empty)'), diffElement(view.againstPatched));
    else if (view.outcome === 'exact') parts.push(text('Injected = patched: identical programs.', 'muted'));
    return parts;
  }

  function transferSection(row, detail) {
    const table = document.createElement('table');
    table.className = 'variants';
    const outcomes = new Map((row.transfer ? row.transfer.variants : []).map((v) => [v.kind, v]));
    for (const variant of detail.variants || []) {
      const outcome = outcomes.get(variant.kind) || { outcome: 'exact' };
      const show = el('button', 'show');
      show.type = 'button';
      show.dataset.variant = variant.kind;
      show.addEventListener('click', () => showVariant(row.key, variant.kind));
      table.append(tableRow([badge(variant.kind, 'muted'), badge(outcome.outcome, outcome.outcome === 'exact' ? 'ok' : outcome.outcome === 'wrong' ? 'bad' : 'warn'), text(outcome.reason || variant.description, 'muted'), show]));
    }
    const target = document.createElement('div');
    target.id = 'variant-view';
    const parts = [table, target];
    if (row.transfer && row.transfer.referenceBound) parts.unshift(text(`Reference-bound: the replacement writes ${row.transfer.referenceBound.join(', ')} (the reference's own names); students who named them differently get no bug rather than a wrong one.`, 'warn-text'));
    return section('Student-style variants', ...parts);
  }

  async function showVariant(key, kind) {
    const target = $('#variant-view');
    target.replaceChildren(text(`Injecting into the ${kind} variant…`, 'muted'));
    try {
      const view = await api(`/api/variant?key=${encodeURIComponent(key)}&kind=${encodeURIComponent(kind)}`);
      target.replaceChildren(el('h3', `${kind} variant`), ...injectionElements(view));
    } catch (err) {
      target.replaceChildren(text(err.message, 'problem'));
    }
  }

  function passGroupElement(group) {
    if (group.kind === 'pass') return passElement(group.pass, group.html[0]);
    const details = document.createElement('details');
    details.className = 'ladder';
    details.append(el('summary', `ladder: ${group.passes.length} find_and_track passes for ${group.site}`));
    group.passes.forEach((pass, i) => details.append(passElement(pass, group.html[i])));
    return details;
  }

  function passElement(pass, html) {
    const box = document.createElement('div');
    box.className = 'pass';
    box.append(text(`pass ${pass.pass ?? '?'} · ${pass.type}${pass.replacement ? ` · ${pass.replacement.type}` : ''}: ${pass.description || ''}`, 'pass-title'));
    const code = document.createElement('pre');
    const inner = document.createElement('code');
    inner.className = 'hljs language-json';
    inner.innerHTML = html; // highlight.js output: the JSON text, escaped, in spans
    code.append(inner);
    box.append(code);
    return box;
  }

  function rawJson(jsonText) {
    const details = document.createElement('details');
    details.append(el('summary', 'the whole file'), pre(jsonText || ''));
    return details;
  }

  // ---- try it ----------------------------------------------------------------------------------

  async function runTry(files) {
    const results = $('#try-results');
    if (files.length === 0) {
      results.replaceChildren(text('Paste a file or pick some first.', 'problem'));
      return;
    }
    results.replaceChildren(text(`Trying every definition on ${files.length} file(s)…`, 'muted'));
    try {
      const report = await api('/api/try', { method: 'POST', body: JSON.stringify({ files }) });
      results.replaceChildren(...tryElements(report));
    } catch (err) {
      results.replaceChildren(text(err.message, 'problem'));
    }
  }

  function tryElements(report) {
    const parts = [];
    for (const bad of report.unparsable) parts.push(text(`${bad.file}: not valid Python (${bad.reason}); the engine injects nothing`, 'problem'));
    const byBug = new Map();
    for (const c of report.cells) byBug.set(c.bug, [...(byBug.get(c.bug) || []), c]);
    for (const [bug, cells] of byBug) {
      const box = document.createElement('details');
      box.className = 'try-bug';
      box.dataset.bug = bug;
      const counts = ['injected', 'no-match', 'broke', 'absent'].map((o) => [o, cells.filter((c) => c.outcome === o).length]).filter(([, n]) => n);
      const summary = el('summary', `${bug} `);
      for (const [outcome, n] of counts) summary.append(badge(`${n} ${outcome}`, outcome === 'injected' ? 'ok' : outcome === 'broke' ? 'bad' : 'muted'));
      box.append(summary);
      if (cells.some((c) => c.outcome === 'injected' || c.outcome === 'broke')) box.open = true;
      for (const c of cells) {
        box.append(text(`${c.file}: ${c.outcome}${c.reason ? ` — ${c.reason}` : ''}${c.alsoChanged ? ` (also changes ${c.alsoChanged.join(', ')})` : ''}`, c.outcome === 'broke' ? 'problem' : ''));
        if (c.diff) box.append(diffElement(c.diff));
      }
      parts.push(box);
    }
    return parts;
  }

  async function readFiles(list) {
    return Promise.all([...list].filter((f) => f.name.endsWith('.py')).map(async (f) => ({ label: f.webkitRelativePath || f.name, source: await f.text() })));
  }

  function setUpTry() {
    const dialog = $('#try');
    $('#open-try').addEventListener('click', () => dialog.showModal());
    $('#run-try').addEventListener('click', async () => {
      const pasted = $('#paste').value.trim() ? [{ label: 'pasted.py', source: $('#paste').value }] : [];
      runTry([...pasted, ...(await readFiles($('#files').files)), ...(await readFiles($('#folder').files))]);
    });
    const drop = $('#drop');
    drop.addEventListener('dragover', (event) => {
      event.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', async (event) => {
      event.preventDefault();
      drop.classList.remove('over');
      runTry(await readFiles(event.dataTransfer.files));
    });
  }

  // ---- keyboard ------------------------------------------------------------------------------------

  function onKey(event) {
    if (event.target.closest('input, textarea, select, dialog[open]') || event.metaKey || event.ctrlKey || event.altKey) return;
    const keys = visibleKeys();
    const at = keys.indexOf(state.selected);
    if (event.key === 'j' || event.key === 'k') {
      const next = keys[Math.min(keys.length - 1, Math.max(0, at + (event.key === 'j' ? 1 : -1)))];
      if (next) state.selected = next;
      renderList();
      const selected = $('#rows tr.selected');
      if (selected) selected.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter' && state.selected) {
      openBug(state.selected);
    } else if (event.key === 'a') {
      const key = state.open || state.selected;
      if (key) submitReview(key, 'approved');
    } else if (event.key === 't') {
      $('#try').showModal();
    } else {
      return;
    }
    event.preventDefault();
  }

  // ---- small DOM helpers ---------------------------------------------------------------------------

  function el(tag, content) {
    const element = document.createElement(tag);
    if (content !== undefined) element.textContent = content;
    return element;
  }
  function text(content, className = '') {
    const p = el('p', content);
    if (className) p.className = className;
    return p;
  }
  function badge(content, kind) {
    const span = el('span', content);
    span.className = `badge ${kind}`;
    return span;
  }
  function cell(...children) {
    const td = document.createElement('td');
    td.append(...children);
    return td;
  }
  function tableRow(children) {
    const tr = document.createElement('tr');
    tr.append(...children.map((child) => cell(child)));
    return tr;
  }
  function pre(content) {
    return el('pre', content);
  }
  function section(title, ...children) {
    const s = document.createElement('section');
    if (title) s.append(el('h3', title));
    s.append(...children);
    return s;
  }
  function diffElement(diff) {
    const target = document.createElement('div');
    target.className = 'diff';
    if (!window.Diff2HtmlUI) {
      target.append(pre(diff));
      return target;
    }
    const ui = new window.Diff2HtmlUI(target, diff, { drawFileList: false, outputFormat: 'line-by-line', matching: 'lines', highlight: true, fileContentToggle: false, synchronisedScroll: false });
    ui.draw();
    ui.highlightCode();
    return target;
  }

  // ---- start ---------------------------------------------------------------------------------------

  for (const button of document.querySelectorAll('#filters [data-filter]')) {
    button.addEventListener('click', () => {
      state.filter = button.dataset.filter;
      renderList();
    });
  }
  document.addEventListener('keydown', onKey);
  setUpTry();
  loadRows().catch(showError);
  connect();
})();
