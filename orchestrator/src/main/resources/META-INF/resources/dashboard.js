// Rotor dashboard: plain DOM, no build step. Every value is put on the page with textContent, never as HTML.
'use strict';

const TOKEN_KEY = 'rotor-api-token';
const STEPS = {
  'dual-password': ['PLATFORM_UPDATED', 'SECRET_WRITTEN', 'WORKLOADS_RESTARTED', 'OLD_REVOKED'],
  'new-identity': ['PLATFORM_UPDATED', 'SECRET_WRITTEN', 'WORKLOADS_RESTARTED', 'OLD_REVOKED'],
  'replace': ['PLATFORM_UPDATED', 'SECRET_WRITTEN', 'WORKLOADS_RESTARTED'],
  'manual': ['PLATFORM_UPDATED', 'SECRET_WRITTEN', 'WORKLOADS_RESTARTED'],
};
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'ROLLED_BACK', 'CANCELLED', 'PLANNED']);
const $ = (sel) => document.querySelector(sel);

let refreshTimer = null;
// What the signed-in caller may do with each credential beyond viewing it (RBAC verbs: rotate, confirm).
let actions = new Map();
let streamAbort = null;
let shownDetail = null;

function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }

function say(text, error) {
  const m = $('#message');
  m.textContent = text || '';
  m.className = error ? 'error' : '';
}

async function api(path, options = {}) {
  const headers = Object.assign({ 'Authorization': 'Bearer ' + token() }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401) {
    throw new Error('Not signed in: enter a bearer token (kubectl create token, or the local stack\'s token).');
  }
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    const detail = body && (body.detail || body.title) || ('HTTP ' + response.status);
    const violations = body && body.violations ? ' (' + body.violations.map(v => v.field + ': ' + v.reason).join('; ') + ')' : '';
    throw new Error(detail + violations);
  }
  return body;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return e;
}

function badge(text, extra) { return el('span', { class: 'badge ' + (text || '') + (extra ? ' ' + extra : '') }, text || '—'); }

function seconds(iso) {
  if (!iso) return null;
  const m = /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso);
  if (!m) return null;
  return (+m[1] || 0) * 86400 + (+m[2] || 0) * 3600 + (+m[3] || 0) * 60 + (+m[4] || 0);
}

function human(iso) {
  const s = seconds(iso);
  if (s == null) return '—';
  if (s < 90) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  if (s < 5400) return Math.round(s / 60) + ' min';
  if (s < 172800) return Math.round(s / 3600) + ' h';
  return Math.round(s / 86400) + ' d';
}

function when(instant) { return instant ? new Date(instant).toLocaleString() : '—'; }
function shortId(id) { return id ? id.slice(0, 8) : ''; }

function rows(tbody, items, render, emptyText, columns) {
  tbody.replaceChildren();
  if (!items.length) {
    tbody.append(el('tr', {}, el('td', { colspan: String(columns), class: 'empty' }, emptyText)));
    return;
  }
  for (const item of items) tbody.append(render(item));
}

function may(credential, verb) { return (actions.get(credential) || []).includes(verb); }

// A button the caller may not use is shown, disabled, with the reason as its title.
function allowed(button, credential, verb) {
  if (!may(credential, verb)) {
    button.disabled = true;
    button.title = 'You may not ' + verb + ' ' + credential + ' (RBAC verb ' + verb + ' on managedcredentials.rotor.io)';
  }
  return button;
}

function renderCredentials(credentials) {
  actions = new Map(credentials.map(c => [c.credential, c.actions || []]));
  rows($('#credentials tbody'), credentials, c => el('tr', { 'data-credential': c.credential },
    el('td', {}, c.credential, c.valid === false ? el('div', { class: 'empty' }, (c.problems || []).map(p => p.field + ': ' + p.reason).join('; ')) : ''),
    el('td', {}, c.platform), el('td', {}, c.strategy), el('td', {}, human(c.age)),
    el('td', {}, c.lastOutcome ? badge(c.lastOutcome) : '—'), el('td', {}, when(c.nextDue)),
    el('td', {}, c.phase || 'Idle'),
    el('td', {},
      allowed(el('button', { class: 'rotate', onclick: () => request(c.credential, false) }, 'Rotate'), c.credential, 'rotate'), ' ',
      allowed(el('button', { class: 'dry-run', onclick: () => request(c.credential, true) }, 'Dry run'), c.credential, 'rotate'))),
  'No ManagedCredentials in the watched namespaces.', 8);
}

function stepChips(r) {
  const steps = STEPS[r.strategy] || [];
  const box = el('div', { class: 'steps' });
  const position = steps.indexOf(r.state);
  const started = ['STARTED', 'AWAITING_OPERATOR'].includes(r.state);
  steps.forEach((s, i) => {
    let cls = 'step';
    if (r.state === 'COMPLETED' || (position >= 0 && i <= position)) cls += ' done';
    else if ((started && i === 0) || (position >= 0 && i === position + 1)) cls += ' current';
    box.append(el('span', { class: cls, 'data-step': s }, s.replace(/_/g, ' ').toLowerCase()));
  });
  return box;
}

function renderInflight(rotations) {
  const box = $('#inflight');
  box.replaceChildren();
  const running = rotations.filter(r => !TERMINAL.has(r.state));
  if (!running.length) { box.append(el('p', { class: 'empty' }, 'Nothing in flight.')); return; }
  for (const r of running) {
    const card = el('div', { class: 'card', 'data-rotation': r.rotationId },
      el('h3', {}, el('a', { onclick: () => showDetail(r.rotationId) }, shortId(r.rotationId)), ' ', r.credential, ' ',
        badge(r.state, 'state'), r.stalled ? badge('stalled', 'stalled') : ''),
      stepChips(r),
      el('div', { class: 'empty' }, 'started ' + when(r.startedAt) + ' by ' + (r.requestedBy || '?')));
    if (r.operator) card.append(operatorTask(r));
    box.append(card);
  }
}

// A manual rotation: what the operator is asked to do, then Confirm (the password is sealed by the orchestrator on
// arrival and never shown again) or Cancel (only while nothing has changed).
function operatorTask(r) {
  const task = el('div', { class: 'operator' });
  if (r.operator.instructions && r.operator.instructions.length) {
    const list = el('ol', { class: 'instructions' });
    r.operator.instructions.forEach(i => list.append(el('li', {}, i)));
    task.append(list);
  }
  if (r.operator.deadline) task.append(el('div', { class: 'empty' }, 'confirm before ' + when(r.operator.deadline)));
  if (r.operator.confirmed) {
    task.append(el('div', { class: 'empty' }, 'confirmed by ' + (r.operator.confirmedBy || '?') +
      '; the rotator is taking the password into use'));
  } else if (r.state === 'AWAITING_OPERATOR' || r.state === 'STARTED') {
    task.append(confirmForm(r));
  }
  return task;
}

function confirmForm(r) {
  const form = $('#confirm-template').content.firstElementChild.cloneNode(true);
  const input = form.querySelector('input');
  if (!may(r.credential, 'confirm')) {
    form.querySelectorAll('input, button').forEach(b => allowed(b, r.credential, 'confirm'));
  }
  const path = '/api/v1/rotations/' + encodeURIComponent(r.rotationId);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const password = input.value;
    input.value = '';
    try {
      await api(path + '/confirm', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ password, requestId: 'dashboard-' + crypto.randomUUID() }) });
      say('Confirmed rotation ' + shortId(r.rotationId) + '; the password was sealed on arrival.');
      scheduleRefresh();
    } catch (err) { say(err.message, true); }
  });
  form.querySelector('button.cancel').addEventListener('click', async () => {
    if (!confirm('Cancel rotation ' + shortId(r.rotationId) + '? Do this only if the password was NOT changed in the ' +
      'portal: after a change, confirm instead, or the Secret no longer matches the portal.')) return;
    try {
      await api(path + '/cancel', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ reason: 'cancelled from the dashboard',
          requestId: 'dashboard-' + crypto.randomUUID() }) });
      say('Cancelled rotation ' + shortId(r.rotationId) + '; nothing was changed.');
      scheduleRefresh();
    } catch (err) { say(err.message, true); }
  });
  return form;
}

function renderFailures(rotations) {
  const failed = rotations.filter(r => r.state === 'FAILED' || r.state === 'ROLLED_BACK');
  rows($('#failures tbody'), failed, r => el('tr', { 'data-rotation': r.rotationId },
    el('td', {}, el('a', { onclick: () => showDetail(r.rotationId) }, shortId(r.rotationId))), el('td', {}, r.credential),
    el('td', {}, badge(r.state)), el('td', { class: 'reason' }, r.lastError || 'see the timeline'), el('td', {}, when(r.endedAt))),
  'No failures.', 5);
}

function renderRecent(rotations) {
  rows($('#recent tbody'), rotations.slice(0, 25), r => el('tr', { 'data-rotation': r.rotationId },
    el('td', {}, el('a', { onclick: () => showDetail(r.rotationId) }, shortId(r.rotationId))), el('td', {}, r.credential),
    el('td', { class: 'state' }, badge(r.state), r.stalled ? badge('stalled', 'stalled') : '', r.dryRun ? ' dry run' : ''),
    el('td', {}, r.requestedBy || ''), el('td', {}, when(r.startedAt)), el('td', {}, human(r.total))),
  'No rotations yet.', 6);
}

async function showDetail(id) {
  shownDetail = id;
  try {
    const d = await api('/api/v1/rotations/' + encodeURIComponent(id));
    $('#detail').hidden = false;
    $('#detail-id').textContent = shortId(id) + ' — ' + d.summary.credential + ' — ' + d.summary.state;
    rows($('#timeline tbody'), d.timeline || [], t => el('tr', {},
      el('td', {}, when(t.at)), el('td', {}, t.event), el('td', {}, t.step || ''), el('td', {}, t.source || ''),
      el('td', {}, (t.detail || '') + (t.duration ? ' (' + human(t.duration) + ')' : ''))), 'No events.', 5);
  } catch (err) { say(err.message, true); }
}

async function refresh() {
  try {
    const [credentials, page] = await Promise.all([api('/api/v1/credentials'), api('/api/v1/rotations?size=100')]);
    renderCredentials(credentials);
    renderInflight(page.items);
    renderFailures(page.items);
    renderRecent(page.items);
    if (shownDetail) showDetail(shownDetail);
  } catch (err) { say(err.message, true); }
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 250);
}

async function request(credential, dryRun) {
  try {
    const answer = await api('/api/v1/rotations', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ credential, dryRun, reason: 'requested from the dashboard',
        requestId: 'dashboard-' + crypto.randomUUID() }) });
    if (dryRun && answer.plan) {
      const p = answer.plan;
      say('Dry run for ' + credential + ': ' + (p.platformCalls || []).join('; ') + ' | Secrets: ' +
        (p.secrets || []).map(s => s.name + '[' + (s.keys || []).join(',') + ']').join(', ') + ' | restarts: ' +
        ((p.workloads || []).map(w => w.kind + '/' + w.name).join(', ') || 'none'));
    } else {
      say(answer.status + ': rotation ' + shortId(answer.rotationId) + ' of ' + credential);
    }
    scheduleRefresh();
  } catch (err) { say(err.message, true); }
}

// Server-sent events over fetch: EventSource cannot send the Authorization header.
async function stream() {
  if (streamAbort) streamAbort.abort();
  const controller = new AbortController();
  streamAbort = controller;
  let delay = 1000;
  while (!controller.signal.aborted) {
    try {
      const response = await fetch('/api/v1/rotations/stream', { headers: { 'Authorization': 'Bearer ' + token(),
        'Accept': 'text/event-stream' }, signal: controller.signal });
      if (!response.ok) throw new Error('stream answered ' + response.status);
      $('#live').textContent = 'live'; $('#live').className = 'badge on';
      delay = 1000;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trim()).join('\n');
          if (data) onEvent(JSON.parse(data));
        }
      }
    } catch (err) {
      if (controller.signal.aborted) return;
    }
    $('#live').textContent = 'offline'; $('#live').className = 'badge off';
    await new Promise(r => setTimeout(r, delay));
    delay = Math.min(delay * 2, 15000);
  }
}

function onEvent(e) {
  const list = $('#events');
  list.prepend(el('li', {}, when(e.at) + '  ' + e.type + '  ' + e.credential + '  ' + shortId(e.rotationId) +
    (e.step ? '  ' + e.step : '') + (e.state ? '  → ' + e.state : '') + (e.detail ? '  ' + e.detail : '')));
  while (list.children.length > 200) list.lastChild.remove();
  scheduleRefresh();
}

async function whoami() {
  try {
    const me = await api('/api/v1/whoami');
    $('#who').textContent = 'signed in as ' + me.name;
  } catch (err) { $('#who').textContent = ''; say(err.message, true); }
}

function connect() {
  if (!token()) { say('Enter a bearer token to connect.'); return; }
  say('');
  whoami();
  refresh();
  stream();
}

$('#token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
  $('#token').value = '';
  connect();
});
// A link may carry the token in its fragment (never sent to the server); it moves to session storage at once.
const fromLink = /(?:^#|&)token=([^&]+)/.exec(location.hash);
if (fromLink) {
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fromLink[1]));
  history.replaceState(null, '', location.pathname + location.search);
}
connect();
