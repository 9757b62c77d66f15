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
    state.root = data.root;
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
      cell(badge(row.verdict, verdictClass(row)), ...(row.stale ? [badge('stale', 'warn')] : []), ...(row.inexpressible ? [badge('v2.1 cannot express', 'muted')] : []), ...(row.draft ? [badge('draft', 'warn')] : [])),
      cell(text(row.id, 'bug-id')),
      cell(row.transfer ? badge(`${row.transfer.exact}/${row.transfer.total}`, row.transfer.worst === 'exact' ? 'ok' : row.transfer.worst === 'wrong' ? 'bad' : 'warn') : text('—', 'muted')),
      cell(row.review === 'not-reviewable' ? text('—', 'muted') : badge(row.review.replace('-', ' '), reviewClass(row.review))),
      cell(row.handWritten ? badge('hand-written', 'muted') : text(row.generator ? `${row.generator}${row.model ? ` (${row.model})` : ''}${row.usage ? ` · $${row.usage.cost_usd.toFixed(4)}` : ''}` : '—')),
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
    if (state.open !== key) state.flash = undefined;
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
    // What the last action on this bug did stays in view when the pane is drawn again (it changed the bug).
    showFlash();
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
    // The way out first, then the build's problem in full.
    if (row.inexpressible) sections.push(patchOnlySection(row));
    if (problems.length) sections.push(section('Problems', ...problems.map(findingElement)));
    if (detail.draft) sections.push(draftSection(row, detail.draft));
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
      ['patch-only', row.patchOnly ? `yes${row.patchOnly.reason ? ` (${row.patchOnly.reason})` : ''}` : row.inexpressible ? 'no — v2.1 cannot express this edit: accept it as patch-only below' : 'no'],
      ['generator', row.generator ? `${row.generator}${row.model ? ` · model ${row.model}` : ''}` : '—'],
      ['cost', costText(row)],
      ['staleness', row.patchOnly ? '— (no JSON: the engine serves the patch itself)' : row.stale ? 'stale: generated from other inputs than the current ones' : row.verdict === 'missing' ? 'no JSON' : 'up to date'],
      ['files', row.patchOnly ? row.key : `${row.key} → ${row.json}`],
    ];
    const list = document.createElement('dl');
    for (const [name, value] of facts) list.append(el('dt', name), el('dd', value));
    const head = el('h2', row.id);
    head.append(' ', badge(row.verdict, verdictClass(row)));
    return section(undefined, head, list);
  }

  function costText(row) {
    if (row.usage) {
      const u = row.usage;
      const cached = u.cached_calls ? `, ${u.cached_calls} answered from the cache` : '';
      return `$${u.cost_usd.toFixed(4)} — ${u.calls} LLM call${u.calls === 1 ? '' : 's'}${cached}, ${u.prompt_tokens + u.completion_tokens} tokens (${u.prompt_tokens} prompt, ${u.completion_tokens} completion)`;
    }
    if (row.costUsd !== undefined) return `$${row.costUsd.toFixed(4)} (${row.generator}: no LLM call)`;
    return row.generator ? 'not recorded' : '—';
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

  // A bug v2.1 cannot express: accept it as patch-only (the engine serves it from its patch), recorded in the config.
  function patchOnlySection(row) {
    const form = document.createElement('form');
    form.id = 'patch-only-form';
    const reason = document.createElement('textarea');
    Object.assign(reason, { name: 'reason', rows: 4, value: row.inexpressible.reason });
    const button = el('button', 'Accept as patch-only (p)');
    Object.assign(button, { type: 'button', className: 'primary' });
    button.addEventListener('click', () => submitPatchOnly(row.key));
    const message = el('p', '');
    message.id = 'patch-only-message';
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    buttons.append(button);
    form.append(
      text('The last build found that v2.1 cannot express this edit. Accepted as patch-only, it is not compiled: the engine serves it by applying its patch to a copy of the reference, and check makes sure it still can. This adds it to patchOnly in the project’s config, with this reason:', 'muted'),
      reason,
      buttons,
      message,
    );
    return section('Patch-only?', form);
  }

  async function submitPatchOnly(key) {
    const row = state.rows.get(key);
    if (!row || !row.inexpressible) return;
    const form = state.open === key ? $('#patch-only-form') : undefined;
    const message = form ? $('#patch-only-message', form) : undefined;
    const reason = form ? form.elements.reason.value : row.inexpressible.reason;
    try {
      const result = await api('/api/patch-only', { method: 'POST', body: JSON.stringify({ key, reason }) });
      flash(key, `Accepted as patch-only: ${result.created ? 'wrote' : 'added to patchOnly in'} ${projectPath(result.configFile)}. The engine serves it from its patch; check makes sure it still applies.`, 'ok-text', message);
    } catch (err) {
      if (message) {
        message.textContent = `Not accepted: ${err.message}`;
        message.className = 'problem';
      } else showError(err);
    }
  }

  // A repair draft of a rotted patch (refresh-patch): where it came from, what it changes in the patch, and accepting it.
  function draftSection(row, draft) {
    const p = draft.provenance;
    const v = p.verification;
    const how = p.tier === 'reanchor' ? `re-anchored (deterministic) up to ${p.how === 'renaming' ? 'renamed locals' : 'formatting'}` : `re-authored by the LLM${p.model ? ` (${p.model})` : ''}`;
    const verified = v.status === 'exact'
      ? `compiles exact${v.generator ? ` with ${v.generator}` : ''}${v.transfer ? `; transfer ${v.transfer.exact}/${v.transfer.total} student-style variants` : ''}${v.referenceBound && v.referenceBound.length ? `; reference-bound: ${v.referenceBound.join(', ')}` : ''}`
      : `patch-only candidate: v2.1 cannot express it${v.reason ? ` (${v.reason})` : ''}`;
    const facts = [
      ['tier', `${p.tier} — ${how}`],
      ...(p.renamed && Object.keys(p.renamed).length ? [['renamed', Object.entries(p.renamed).map(([a, b]) => `${a} → ${b}`).join(', ')]] : []),
      ['functions', p.functions.join(', ') || '—'],
      ['verification', verified],
      ['made', `${p.created ? p.created.slice(0, 16).replace('T', ' ') : '?'} against ${p.reference}`],
      ['file', draft.file],
    ];
    const list = document.createElement('dl');
    list.className = 'draft-facts';
    for (const [name, value] of facts) list.append(el('dt', name), el('dd', value));
    const parts = [list];
    if (p.notes && p.notes.length) parts.push(...p.notes.map((note) => text(note, 'muted')));
    if (draft.stale) parts.push(text('STALE: the patch or its reference changed since this draft was made; make it again (bug-author refresh-patch).', 'problem'));
    parts.push(el('h4', 'what the draft changes in the patch (old → new)'), diffElement(draft.patchChange));
    const whole = document.createElement('details');
    whole.append(el('summary', 'the draft patch'), diffElement(draft.text));
    parts.push(whole);
    const button = el('button', 'Accept draft');
    Object.assign(button, { type: 'button', className: 'primary', id: 'accept-draft' });
    button.addEventListener('click', () => submitAcceptDraft(row.key));
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    buttons.append(button, el('span', 'as refresh-patch --accept: the draft replaces the patch (git must hold the patch’s text)'));
    buttons.lastChild.className = 'muted';
    const message = el('p', '');
    message.id = 'draft-message';
    parts.push(buttons, message);
    return section('Repair draft', ...parts);
  }

  /** An absolute path inside the project, as the page names files (relative to its root). */
  function projectPath(file) {
    return state.root && file.startsWith(`${state.root}/`) ? file.slice(state.root.length + 1) : file;
  }

  function flash(key, content, className, message) {
    state.flash = { key, text: content, className };
    if (message && message.isConnected) {
      message.textContent = content;
      message.className = className;
    } else if (state.open === key) {
      // The action changed the bug, and the pane was drawn again before its answer came: say it there.
      showFlash();
    }
  }

  function showFlash() {
    const pane = $('#detail');
    for (const old of pane.querySelectorAll(':scope > p.flash')) old.remove();
    if (state.flash && state.flash.key === state.open && pane.children[0]) pane.children[0].after(text(state.flash.text, `flash ${state.flash.className}`));
  }

  async function submitAcceptDraft(key) {
    const message = $('#draft-message');
    try {
      const result = await api('/api/accept-draft', { method: 'POST', body: JSON.stringify({ key }) });
      const json = result.json.state === 'kept' ? ` Its hand-written JSON ${result.json.json} still injects it exactly: kept.` : result.json.state === 'retired' ? ` Its hand-written JSON ${result.json.json} was made for the old patch (${result.json.why}): retired to ${result.json.to}.` : '';
      const next = document.querySelector('meta[name="review-mode"]').content === 'watch' ? 'watch rebuilds it.' : 'run bug-author build to compile it.';
      flash(key, `Accepted: ${result.patch} replaced by its draft.${json} Now ${next}`, 'ok-text', message);
    } catch (err) {
      if (message) {
        message.textContent = `Not accepted: ${err.message}`;
        message.className = 'problem';
      } else showError(err);
    }
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
    const summary = view.explanation ? `${view.outcome}: the engine tells the student it could not inject this bug` : `${view.outcome}${view.reason ? ` — ${view.reason}` : ''}`;
    const parts = [text(summary, view.outcome === 'exact' ? 'ok-text' : 'problem')];
    if (view.description) parts.unshift(text(view.description, 'muted'));
    if (view.explanation) parts.push(explanationElement(view.explanation));
    else if (view.outcome === 'no-match') parts.push(text('No match: the engine tells the student it could not inject this bug.', 'muted'));
    if (view.injectedDiff) parts.push(el('h4', 'what the definition does'), diffElement(view.injectedDiff));
    if (view.againstExpected) parts.push(el('h4', 'injected vs patched (should be empty)'), diffElement(view.againstExpected));
    else if (view.outcome === 'exact') parts.push(text('Injected = patched: identical programs.', 'muted'));
    return parts;
  }

  // Why a definition injects nothing (NoMatchExplanation): which pass, what it looks for, what is missing, the nearest code.
  function explanationElement(explanation) {
    const box = document.createElement('dl');
    box.className = 'explanation';
    const add = (name, ...content) => {
      const dd = document.createElement('dd');
      dd.append(...content);
      box.append(el('dt', name), dd);
    };
    const { explained } = explanation;
    const pass = `pass ${explained.pass} (${explained.type})${explained.description ? `: ${explained.description}` : ''}`;
    if (explanation.alsoReadAt) return twoPlacesElement(explanation, pass, box, add);
    const ladder = explanation.alsoFoundNothing ? ` — passes ${explanation.alsoFoundNothing[0]}–${explanation.alsoFoundNothing[1]} of the same site found nothing either` : '';
    add('found nothing', `${pass}${ladder}`, ...(explained.pass !== explanation.pass ? [el('span', ` (so replace pass ${explanation.pass} had nothing to change)`)] : []));
    add('looking for', code(explanation.lookingFor), ...explanation.legend.map((line) => text(line, 'muted')));
    if (explanation.targetFunction) add('in function', code(explanation.targetFunction));
    if (explanation.missing) {
      const { missing } = explanation;
      add('missing', el('span', `at ${missing.path ? '' : 'the node itself'}`), ...(missing.path ? [code(missing.path)] : []), el('span', ': the pattern wants '), code(missing.expected), el('span', ', the code has '), code(missing.found));
    } else {
      add('missing', el('span', 'nothing in the function resembles the pattern'));
    }
    if (explanation.nearest) {
      const { nearest } = explanation;
      add('nearest', el('span', `line ${nearest.line}: `), code(nearest.code), ...(nearest.canonical ? [el('span', ` (the engine names it ${nearest.canonical} there)`)] : []));
    }
    return box;
  }

  // A confirmation that failed (a ladder's readings found two places): both places, not "nothing found".
  function twoPlacesElement(explanation, pass, box, add) {
    const [first, second] = explanation.oneReading ? ['the last found', 'the first'] : ["the reading nearest the reference's", 'the farthest'];
    add('found two places', pass);
    add('reading as', code(explanation.lookingFor), ...explanation.legend.map((line) => text(line, 'muted')));
    if (explanation.targetFunction) add('in function', code(explanation.targetFunction));
    for (const [name, place, which] of [['one at', explanation.nearest, first], ['another at', explanation.alsoReadAt, second]]) {
      if (place) add(name, el('span', `line ${place.line}: `), code(place.code), el('span', ` (${which})`));
    }
    add('so', el('span', 'rather than change the wrong one, the definition injects nothing'));
    return box;
  }

  /** A one-line reason; with an explanation, a disclosure that opens onto it. */
  function whyElement(reason, explanation) {
    if (!explanation) return text(reason, 'muted');
    const details = document.createElement('details');
    details.className = 'why';
    details.append(el('summary', reason), explanationElement(explanation));
    return details;
  }

  function code(content) {
    return el('code', content);
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
      table.append(tableRow([badge(variant.kind, 'muted'), badge(outcome.outcome, outcome.outcome === 'exact' ? 'ok' : outcome.outcome === 'wrong' ? 'bad' : 'warn'), whyElement(outcome.reason || variant.description, outcome.explanation), show]));
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
        if (c.explanation) box.append(whyElement(`${c.file}: ${c.outcome} — ${c.explanation.message}`, c.explanation));
        else box.append(text(`${c.file}: ${c.outcome}${c.reason ? ` — ${c.reason}` : ''}${c.alsoChanged ? ` (also changes ${c.alsoChanged.join(', ')})` : ''}`, c.outcome === 'broke' ? 'problem' : ''));
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
    } else if (event.key === 'p') {
      const key = state.open || state.selected;
      if (key) submitPatchOnly(key);
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
