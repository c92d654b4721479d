/* AsyncFlow operator console: the single-page app behind index.html.
 * Hash routes: #/conversations (default), #/conversation/<id>, #/backends, #/dead-letters, #/audit.
 * Plain DOM (createElement + textContent only; the CSP forbids inline code and styles). Each page
 * polls its API; leaving the page stops its timers. Any 401 goes to /login. */
'use strict';

(function () {
  const STATUSES = ['', 'running', 'SUCCESS', 'NOT_FOUND', 'TIMEOUT', 'ERROR', 'CANCELLED'];
  const view = document.getElementById('view');
  const live = document.getElementById('live');

  let session = { user: '', role: '', csrf: '' };
  let leaving = false;     // true once we go to /login: no more requests, no more renders
  let routeGen = 0;        // bumped on every route change; stale polls compare against it
  let cleanups = [];       // functions that stop the current page's timers
  let banner = null;       // the current page's "last refresh failed" line

  // ---------- small helpers ----------

  /** Builds an element. props: class, text, data {camelCase: value}, on<event>, or DOM properties. */
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else if (k === 'data') {
        for (const [dk, dv] of Object.entries(v)) if (dv != null) e.dataset[dk] = String(dv);
      } else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k in e) e[k] = v;
      else e.setAttribute(k, v);
    }
    for (const kid of kids.flat()) {
      if (kid != null && kid !== false) e.append(kid instanceof Node ? kid : String(kid));
    }
    return e;
  }

  const pad = (n, w = 2) => String(n).padStart(w, '0');
  const hms = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

  /** Local time HH:MM:SS.mmm */
  function fmtTime(ms) {
    if (ms == null) return '—';
    const d = new Date(ms);
    return `${hms(d)}.${pad(d.getMilliseconds(), 3)}`;
  }

  /** Local time with milliseconds, prefixed by the date when it is not today. */
  function fmtStamp(ms) {
    if (ms == null) return '—';
    const d = new Date(ms);
    const today = new Date().toDateString() === d.toDateString();
    const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `;
    return (today ? '' : date) + fmtTime(ms);
  }

  function fmtMs(v) {
    if (v == null) return '—';
    return (Number.isInteger(v) ? String(v) : Number(v).toFixed(1)) + ' ms';
  }

  const fmtPct = (r) => (typeof r === 'number' && isFinite(r) ? (r * 100).toFixed(1) + ' %' : '—');
  const orDash = (v) => (v == null || v === '' ? '—' : v);
  const yesNo = (b) => (b ? 'yes' : 'no');
  const convHash = (id) => '#/conversation/' + encodeURIComponent(id);
  const convLink = (id) => (id ? el('a', { href: convHash(id), class: 'mono', text: id }) : '—');
  const statusClass = (s) => 'status-' + String(s || 'unknown').toLowerCase();

  function badge(status, text) {
    const s = status || 'unknown';
    return el('span', { class: 'status-badge ' + statusClass(s), data: { status: s }, text: text || s });
  }

  /** A table with a header row; returns {table, tbody}. */
  function makeTable(id, headers, cls) {
    const tbody = el('tbody');
    const head = el('tr', null, headers.map((h) => (h instanceof Node ? el('th', null, h) : el('th', { text: h }))));
    const table = el('table', { id, class: 'grid ' + (cls || '') }, el('thead', null, head), tbody);
    return { table, tbody };
  }

  function fillBody(tbody, rows, cols, emptyText) {
    if (rows.length) tbody.replaceChildren(...rows);
    else tbody.replaceChildren(el('tr', { class: 'empty' }, el('td', { colSpan: cols, text: emptyText })));
  }

  // ---------- HTTP ----------

  class HttpError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function goLogin() {
    if (leaving) return;
    leaving = true;
    stopPage();
    location.assign('/login');
  }

  async function api(path, opts = {}) {
    if (leaving) throw new HttpError(401, 'leaving');
    const headers = { Accept: 'application/json' };
    const init = { method: opts.method || 'GET', credentials: 'same-origin', cache: 'no-store', headers };
    if (init.method !== 'GET') headers['X-CSRF-Token'] = session.csrf || '';
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new HttpError(0, 'cannot reach the server');
    }
    if (res.status === 401) {
      goLogin();
      throw new HttpError(401, 'not logged in');
    }
    let body = null;
    if (res.status !== 204) {
      try { body = await res.json(); } catch (e) { /* empty or not JSON */ }
    }
    if (!res.ok) throw new HttpError(res.status, (body && body.error) || `HTTP ${res.status}`);
    return body;
  }

  // ---------- polling and the live indicator ----------

  function setLive(ok, err) {
    live.textContent = ok ? 'live · updated ' + hms(new Date()) : 'disconnected';
    live.classList.toggle('down', !ok);
    live.title = ok ? '' : (err && err.message) || '';
  }

  /** Runs load() now and every ms while the current page shows. Returns "refresh now". */
  function startPoll(load, ms) {
    const gen = routeGen;
    const myBanner = banner;
    let timer = 0, busy = false, again = false;
    const current = () => gen === routeGen && !leaving;
    async function tick() {
      if (!current()) return;
      if (busy) { again = true; return; }
      clearTimeout(timer);
      busy = true;
      try {
        await load();
        if (current()) { setLive(true); myBanner.hidden = true; }
      } catch (e) {
        if (e.status !== 401 && current()) {
          setLive(false, e);
          myBanner.textContent = 'Last refresh failed: ' + e.message + ' (still trying)';
          myBanner.hidden = false;
        }
      }
      busy = false;
      if (!current()) return;
      if (again) { again = false; tick(); } else timer = setTimeout(tick, ms);
    }
    cleanups.push(() => clearTimeout(timer));
    tick();
    return tick;
  }

  /** Calls render(data) only when the answer differs from the previous one. */
  function changed() {
    let last = null;
    return (data) => {
      const key = JSON.stringify(data);
      if (key === last) return false;
      last = key;
      return true;
    };
  }

  // ---------- page: conversations ----------

  const convFilter = { q: '', type: '', status: '' };   // kept while navigating
  let knownTypes = [];

  function fillTypes(sel, types) {
    const wanted = [''].concat(types);
    if (convFilter.type && !wanted.includes(convFilter.type)) wanted.push(convFilter.type);
    const have = Array.from(sel.options, (o) => o.value);
    if (have.join('\n') !== wanted.join('\n')) {
      sel.replaceChildren(...wanted.map((t) => el('option', { value: t, text: t || 'all types' })));
    }
    sel.value = convFilter.type;
  }

  function taskText(t) {
    return [`${t.taskType} ${t.status}`, t.backend, t.elapsedMs != null ? fmtMs(t.elapsedMs) : null]
      .filter((x) => x != null && x !== '').join(' · ');
  }

  function pageConversations(root) {
    const search = el('input', {
      id: 'search', type: 'search', value: convFilter.q, autocomplete: 'off', spellcheck: false,
      placeholder: 'conversation id, task id or last digits of the number'
    });
    const typeSel = el('select', { id: 'filter-type', title: 'task type' });
    const statusSel = el('select', { id: 'filter-status', title: 'task status' },
      STATUSES.map((s) => el('option', { value: s, text: s || 'all statuses' })));
    statusSel.value = convFilter.status;
    fillTypes(typeSel, knownTypes);
    const summary = el('p', { id: 'conversations-summary', class: 'summary' });
    const { table, tbody } = makeTable('conversations', ['First seen', 'Conversation', 'Caller', 'Tasks', 'Ended']);
    tbody.addEventListener('click', (ev) => {
      const tr = ev.target.closest('tr.conversation');
      if (tr && !ev.target.closest('a')) location.hash = convHash(tr.dataset.id);
    });
    root.append(el('h2', { text: 'Conversations' }),
      el('div', { class: 'controls' }, search, typeSel, statusSel), summary, table);

    const query = () => new URLSearchParams({ ...convFilter, limit: '100' }).toString();
    const isNew = changed();
    const refresh = startPoll(async () => {
      const qs = query();
      const d = await api('/api/conversations?' + qs);
      if (qs !== query() || !isNew(d)) return;   // filters changed meanwhile, or nothing new
      knownTypes = d.taskTypes || [];
      fillTypes(typeSel, knownTypes);
      summary.textContent = `Showing ${d.shown} of ${d.total} (window ${d.window}, max ${d.max})`;
      const rows = (d.items || []).map((c) => el('tr', { class: 'conversation', data: { id: c.conversationId } },
        el('td', { class: 'mono nowrap', text: fmtTime(c.firstSeen) }),
        el('td', null, convLink(c.conversationId)),
        el('td', { class: 'mono', text: c.caller || '—' }),
        el('td', { class: 'tasks' }, (c.tasks || []).map((t) => badge(t.status, taskText(t)))),
        el('td', { class: c.ended ? 'ended-yes' : 'ended-no', text: yesNo(c.ended) })));
      fillBody(tbody, rows, 5, 'No conversation matches');
    }, 2000);

    let debounce = 0;
    search.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => { convFilter.q = search.value.trim(); refresh(); }, 250);
    });
    cleanups.push(() => clearTimeout(debounce));
    typeSel.addEventListener('change', () => { convFilter.type = typeSel.value; refresh(); });
    statusSel.addEventListener('change', () => { convFilter.status = statusSel.value; refresh(); });
  }

  // ---------- page: one conversation ----------

  function pageConversation(root, id) {
    const body = el('div', { class: 'conversation-body' });
    root.append(el('p', { class: 'back' }, el('a', { href: '#/conversations', text: '← Conversations' })),
      el('h2', { id: 'conversation-title', class: 'mono', text: id }), body);
    const isNew = changed();
    startPoll(async () => {
      let d;
      try {
        d = await api('/api/conversations/' + encodeURIComponent(id));
      } catch (e) {
        if (e.status !== 404) throw e;
        if (isNew(null)) {
          body.replaceChildren(el('p', { id: 'not-found', class: 'notice',
            text: `Conversation ${id} is not (or no longer) in the console's window` }));
        }
        return;
      }
      if (isNew(d)) body.replaceChildren(renderConversation(d));
    }, 2000);
  }

  function renderConversation(d) {
    const frag = document.createDocumentFragment();
    frag.append(el('dl', { class: 'meta' },
      el('dt', { text: 'Caller' }), el('dd', { class: 'mono', text: d.caller || '—' }),
      el('dt', { text: 'First seen' }), el('dd', { text: fmtStamp(d.firstSeen) }),
      el('dt', { text: 'Ended' }), el('dd', { text: yesNo(d.ended) })));
    for (const t of d.tasks || []) frag.append(renderTask(t));
    frag.append(el('h3', { text: 'Timeline' }), renderTimeline(d.events || []));
    return frag;
  }

  function renderTask(t) {
    const facts = [`task ${t.taskId}`, t.source && `source ${t.source}`, t.backend && `backend ${t.backend}`,
      t.requestedAt != null && `requested ${fmtTime(t.requestedAt)}`,
      t.deadline != null && `deadline ${fmtTime(t.deadline)}` +
        (t.requestedAt != null ? ` (${t.deadline - t.requestedAt} ms budget)` : '')].filter(Boolean);
    const inputs = Object.entries(t.inputs || {});
    const inputsTable = el('table', { class: 'grid inputs' }, el('caption', { text: 'Inputs' }),
      el('tbody', null, inputs.length
        ? inputs.map(([k, v]) => el('tr', null, el('th', { text: k }), el('td', { class: 'mono', text: v == null ? '—' : v })))
        : el('tr', { class: 'empty' }, el('td', { colSpan: 2, text: 'no inputs' }))));
    const hopsTable = el('table', { class: 'grid hops' }, el('caption', { text: 'Hops' }),
      el('thead', null, el('tr', null, el('th', { text: 'Hop' }), el('th', { class: 'num', text: 'ms' }))),
      el('tbody', null, (t.hops || []).map((h) => el('tr', { class: 'hop' },
        el('td', { text: h.hop }), el('td', { class: 'num', text: fmtMs(h.ms) })))),
      el('tfoot', null,
        el('tr', { class: 'own' }, el('th', { text: 'own overhead' }), el('td', { class: 'num', text: fmtMs(t.ownMs) })),
        el('tr', { class: 'total' }, el('th', { text: 'total' }), el('td', { class: 'num', text: fmtMs(t.totalMs) }))));
    return el('section', { class: 'task', data: { taskId: t.taskId } },
      el('h3', null, `${t.taskType} — `,
        el('span', { class: 'task-status ' + statusClass(t.status), data: { status: t.status }, text: t.status })),
      el('p', { class: 'task-facts mono', text: facts.join(' · ') }),
      t.reason ? el('p', { class: 'reason', text: 'Reason: ' + t.reason }) : null,
      el('div', { class: 'task-tables' }, inputsTable, hopsTable));
  }

  function renderTimeline(events) {
    const tl = el('div', { id: 'timeline', class: 'timeline' });
    if (!events.length) {
      tl.append(el('p', { class: 'empty', text: 'No events yet' }));
      return tl;
    }
    const span = Math.max(1, ...events.map((e) => (e.offsetMs || 0) + (e.durationMs || 0)));
    const pct = (v) => Math.min(100, Math.max(0, (v / span) * 100));
    const axis = el('div', { class: 'tl-track axis-track' });
    for (const f of [0, 0.25, 0.5, 0.75, 1]) {
      const tick = el('span', { class: 'tick' + (f === 1 ? ' tick-end' : f === 0 ? ' tick-start' : ''),
        text: Math.round(span * f) + ' ms' });
      tick.style.left = f * 100 + '%';
      axis.append(tick);
    }
    tl.append(el('div', { class: 'timeline-axis' }, el('div', { class: 'tl-label', text: 'offset · event' }), axis));

    for (const ev of events) {
      const outcome = ev.outcome ? ' outcome-' + String(ev.outcome).toLowerCase() : '';
      const kind = 'kind-' + ev.kind;
      const off = ev.offsetMs || 0;
      const label = el('div', { class: 'tl-label' },
        el('span', { class: 'ev-offset mono', text: `+${Math.round(off)} ms` }),
        el('span', { class: 'ev-title', text: ev.title || ev.kind }),
        ev.backend ? el('span', { class: 'ev-backend', text: ev.backend }) : null,
        ev.outcome ? el('span', { class: 'ev-outcome' + outcome, text: ev.outcome }) : null,
        ev.durationMs != null ? el('span', { class: 'ev-duration', text: fmtMs(ev.durationMs) }) : null,
        ev.detail ? el('div', { class: 'ev-detail', text: ev.detail }) : null);
      let mark;
      if (ev.durationMs != null) {
        const width = Math.max(0.4, pct(ev.durationMs));
        mark = el('div', { class: `bar ${kind}${outcome}` });
        mark.style.left = Math.min(pct(off), 100 - width) + '%';
        mark.style.width = width + '%';
      } else {
        mark = el('div', { class: `marker ${kind}${outcome}` });
        mark.style.left = pct(off) + '%';
      }
      mark.title = [`+${Math.round(off)} ms`, ev.title, ev.backend, ev.outcome,
        ev.durationMs != null ? fmtMs(ev.durationMs) : null, ev.detail, fmtTime(ev.at)].filter(Boolean).join(' · ');
      tl.append(el('div', { class: 'event ' + kind,
        data: { kind: ev.kind, backend: ev.backend, outcome: ev.outcome, taskId: ev.taskId } },
      label, el('div', { class: 'tl-track' }, mark)));
    }
    return tl;
  }

  // ---------- page: backends ----------

  function pageBackends(root) {
    const h2 = el('h2', { text: 'Backends' });
    const { table, tbody } = makeTable('backends', ['Backend', 'Calls', 'Hit', 'Miss', 'Error', 'Timeout',
      'Hit rate', 'Error rate', 'p50', 'p95', 'p99', 'Last errors'], 'numbers');
    const genesys = el('div', { id: 'genesys', class: 'panel' });
    const lag = makeTable('lag', ['Consumer group', 'Lag', 'Partitions'], 'narrow');
    const lagNote = el('p', { class: 'note' });
    root.append(h2, table, el('h3', { text: 'Genesys participant-data writes' }), genesys,
      el('h3', { text: 'Consumer lag' }), lag.table, lagNote);
    const isNew = changed();
    startPoll(async () => {
      const d = await api('/api/backends');
      if (!isNew(d)) return;
      h2.textContent = `Backends — last ${d.windowSeconds} s`;
      const num = (v) => el('td', { class: 'num', text: v == null ? '—' : v });
      fillBody(tbody, (d.backends || []).map((b) => el('tr', { class: 'backend', data: { backend: b.name } },
        el('th', { text: b.name }), num(b.calls), num(b.hit), num(b.miss), num(b.error), num(b.timeout),
        num(fmtPct(b.hitRate)), num(fmtPct(b.errorRate)),
        num(fmtMs(b.p50Ms)), num(fmtMs(b.p95Ms)), num(fmtMs(b.p99Ms)),
        el('td', { class: 'last-errors' }, (b.lastErrors || []).length
          ? el('ul', null, b.lastErrors.map((e) => el('li', null,
            el('span', { class: 'mono', text: fmtStamp(e.at) }), ' ', e.reason || '', ' ', convLink(e.conversationId))))
          : '—'))), 12, 'No backend calls in the window');

      const g = d.genesys || {};
      const budget = g.budgetPerMinute;
      const used = budget ? ((g.writesLastMinute || 0) / budget) * 100 : 0;
      const bar = el('div', { class: 'budget-used' + (used >= 100 ? ' over' : used >= 80 ? ' warn' : '') });
      bar.style.width = Math.min(100, used) + '%';
      genesys.replaceChildren(
        el('p', { class: 'budget-line' }, el('strong', { text: orDash(g.writesLastMinute) }), budget
          ? ` writes in the last minute of a budget of ${budget} per minute (${used.toFixed(0)} %)`
          : ' writes in the last minute (budget per minute not known here)'),
        el('div', { class: 'budget', title: `${orDash(g.writesLastMinute)} / ${orDash(budget)}` }, bar),
        el('dl', { class: 'meta' },
          el('dt', { text: '429s last minute' }), el('dd', { text: orDash(g.throttledLastMinute) }),
          el('dt', { text: 'Dead-lettered last minute' }), el('dd', { text: orDash(g.deadLetteredLastMinute) }),
          el('dt', { text: 'Backlog (statuses the sink has not taken yet)' }), el('dd', { text: orDash(g.backlog) }),
          el('dt', { text: 'Writes in window' }), el('dd', { text: orDash(g.writesInWindow) }),
          el('dt', { text: '429s in window' }), el('dd', { text: orDash(g.throttledInWindow) })));

      fillBody(lag.tbody, (d.lag || []).map((l) => el('tr', { class: 'lag' },
        el('td', { class: 'mono', text: l.group }), num(l.lag), num(l.partitions))), 3, 'No consumer group');
      lagNote.textContent = d.lagReadAt ? 'Lag read at ' + fmtStamp(d.lagReadAt) : '';
    }, 5000);
  }

  // ---------- page: dead letters and orphans ----------

  function pageDeadLetters(root) {
    const canReplay = session.role === 'replay';
    const selected = new Set();       // survives re-renders
    let items = [];
    let confirmIds = [];

    const replayBtn = el('button', { id: 'replay-button', type: 'button', text: 'Replay selected…', disabled: true });
    replayBtn.hidden = !canReplay;
    const count = el('span', { id: 'selection-count', class: 'note' });
    count.hidden = !canReplay;
    const confirmText = el('p');
    const yes = el('button', { id: 'replay-confirm-yes', type: 'button', class: 'danger', text: 'Yes, replay' });
    const no = el('button', { id: 'replay-confirm-no', type: 'button', text: 'No' });
    const confirmBox = el('div', { id: 'replay-confirm', class: 'confirm', role: 'alertdialog' },
      confirmText, el('div', { class: 'buttons' }, yes, no));
    confirmBox.hidden = true;
    const result = el('p', { id: 'replay-result', class: 'result' });
    result.hidden = true;
    const selectAll = el('input', { id: 'select-all', type: 'checkbox', title: 'select all replayable' });
    selectAll.hidden = !canReplay;
    const { table, tbody } = makeTable('dead-letters',
      [selectAll, 'Failed at', 'Stage', 'Topic', 'Conversation', 'Reason', 'Replayed']);
    const orphans = makeTable('orphans', ['At', 'Conversation', 'Task type', 'Status', 'Backend']);
    root.append(el('h2', { text: 'Dead letters' }), el('div', { class: 'controls' }, replayBtn, count),
      confirmBox, result, table,
      el('h3', { text: 'Orphans: results that arrived after the conversation ended' }), orphans.table);

    function updateButton() {
      replayBtn.disabled = selected.size === 0;
      count.textContent = selected.size ? `${selected.size} selected` : '';
      const replayable = items.filter((i) => i.replayable);
      selectAll.checked = replayable.length > 0 && replayable.every((i) => selected.has(i.id));
    }

    function renderRows() {
      const present = new Set(items.filter((i) => i.replayable).map((i) => i.id));
      for (const id of [...selected]) if (!present.has(id)) selected.delete(id);
      fillBody(tbody, items.map((i) => el('tr', { class: 'dead-letter', data: { id: i.id } },
        el('td', null, el('input', { type: 'checkbox', class: 'select', value: i.id,
          disabled: !i.replayable, checked: selected.has(i.id), title: i.replayable ? 'select' : 'not replayable' })),
        el('td', { class: 'mono nowrap', text: fmtStamp(i.failedAt) }),
        el('td', { text: i.stage }),
        el('td', { class: 'mono', text: i.topic }),
        el('td', null, convLink(i.conversationId)),
        el('td', { text: i.reason || '—' }),
        el('td', { text: i.replayedBy || i.replayedAt
          ? `by ${i.replayedBy || '?'} at ${fmtStamp(i.replayedAt)}` : '—' }))), 7, 'No dead letters');
      updateButton();
    }

    tbody.addEventListener('change', (ev) => {
      const box = ev.target.closest('input.select');
      if (!box) return;
      if (box.checked) selected.add(box.value); else selected.delete(box.value);
      confirmBox.hidden = true;   // the question no longer matches the selection
      updateButton();
    });
    selectAll.addEventListener('change', () => {
      confirmBox.hidden = true;
      for (const i of items) if (i.replayable) {
        if (selectAll.checked) selected.add(i.id); else selected.delete(i.id);
      }
      renderRows();
    });
    replayBtn.addEventListener('click', () => {
      confirmIds = [...selected];
      const topics = [...new Set(items.filter((i) => selected.has(i.id)).map((i) => i.topic))].join(', ');
      confirmText.textContent = `Replay ${confirmIds.length} dead letter(s) to ${topics}? ` +
        'They are produced again to the topic they came from.';
      confirmBox.hidden = false;
      no.focus();
    });
    no.addEventListener('click', () => { confirmBox.hidden = true; });

    const isNew = changed();
    const refresh = startPoll(async () => {
      const d = await api('/api/dead-letters');
      if (!isNew(d)) return;
      items = d.items || [];
      renderRows();
      fillBody(orphans.tbody, (d.orphans || []).map((o) => el('tr', { class: 'orphan' },
        el('td', { class: 'mono nowrap', text: fmtStamp(o.at) }),
        el('td', null, convLink(o.conversationId)),
        el('td', { text: o.taskType }),
        el('td', null, badge(o.status)),
        el('td', { text: o.backend || '—' }))), 5, 'No orphans');
    }, 5000);

    yes.addEventListener('click', async () => {
      yes.disabled = no.disabled = true;
      try {
        const r = await api('/api/dead-letters/replay', { method: 'POST', body: { ids: confirmIds, confirm: true } });
        const skipped = (r && r.skipped) || [];
        result.textContent = `Replayed ${r ? r.replayed : 0}` + (skipped.length
          ? `; skipped ${skipped.length}: ` + skipped.map((s) => `${s.id} (${s.reason})`).join(', ') : '')
          + (r && r.audited === false ? '. The audit record could not be written to Kafka: it is only in the console\'s log.' : '');
        result.className = r && r.audited === false ? 'result error' : 'result ok';
      } catch (e) {
        if (e.status === 401) return;
        result.textContent = e.message;
        result.className = 'result error';
      }
      result.hidden = false;
      yes.disabled = no.disabled = false;
      confirmBox.hidden = true;
      selected.clear();
      renderRows();
      refresh();
    });
  }

  // ---------- page: audit ----------

  function pageAudit(root) {
    const { table, tbody } = makeTable('audit', ['Time', 'User', 'Action', 'Count', 'Ids', 'Topics']);
    root.append(el('h2', { text: 'Audit' }), table);
    const isNew = changed();
    startPoll(async () => {
      const d = await api('/api/audit');
      if (!isNew(d)) return;
      fillBody(tbody, (d.items || []).map((a) => el('tr', { class: 'audit-entry' },
        el('td', { class: 'mono nowrap', text: fmtStamp(a.at) }),
        el('td', { text: a.user }),
        el('td', { text: a.action }),
        el('td', { class: 'num', text: a.count }),
        el('td', { class: 'mono', text: (a.ids || []).join(', ') }),
        el('td', { class: 'mono', text: a.topics ? a.topics.join(', ') : orDash(a.detail) }))), 6, 'No audit entries');
    }, 5000);
  }

  // ---------- routing ----------

  const ROUTES = [
    { re: /^#\/conversations\/?$/, page: pageConversations, nav: 'nav-conversations', title: 'Conversations' },
    { re: /^#\/conversation\/(.+)$/, page: pageConversation, nav: 'nav-conversations', title: 'Conversation' },
    { re: /^#\/backends\/?$/, page: pageBackends, nav: 'nav-backends', title: 'Backends' },
    { re: /^#\/dead-letters\/?$/, page: pageDeadLetters, nav: 'nav-dead-letters', title: 'Dead letters' },
    { re: /^#\/audit\/?$/, page: pageAudit, nav: 'nav-audit', title: 'Audit' }
  ];

  function stopPage() {
    routeGen++;
    cleanups.forEach((f) => f());
    cleanups = [];
  }

  function route() {
    if (leaving) return;
    stopPage();
    const hash = ['', '#', '#/'].includes(location.hash) ? '#/conversations' : location.hash;
    const r = ROUTES.find((x) => x.re.test(hash));
    if (!r) { location.replace('#/conversations'); return; }
    let arg = (hash.match(r.re) || [])[1];
    try { if (arg) arg = decodeURIComponent(arg); } catch (e) { /* keep it raw */ }
    for (const x of ROUTES) {
      const a = document.getElementById(x.nav);
      a.classList.toggle('active', x.nav === r.nav);
      if (x.nav === r.nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    document.title = (arg ? `${r.title} ${arg}` : r.title) + ' · AsyncFlow console';
    banner = el('p', { class: 'poll-error error' });
    banner.hidden = true;
    const root = el('div', { class: 'page' }, banner);
    view.replaceChildren(root);
    r.page(root, arg);
  }

  async function boot() {
    try {
      session = await api('/api/session');
    } catch (e) {
      if (e.status === 401) return;
      setLive(false, e);
      view.replaceChildren(el('p', { class: 'error', text: `Cannot load the session: ${e.message}. Retrying…` }));
      setTimeout(boot, 3000);
      return;
    }
    const role = session.role === 'replay' ? 'may replay' : session.role === 'read-only' ? 'read-only' : session.role;
    document.getElementById('whoami').textContent = `${session.user} (${role})`;
    window.addEventListener('hashchange', route);
    route();
  }

  document.getElementById('logout').addEventListener('click', async (ev) => {
    ev.currentTarget.disabled = true;
    try { await api('/api/logout', { method: 'POST' }); } catch (e) { /* leave anyway */ }
    goLogin();
  });

  boot();
})();
