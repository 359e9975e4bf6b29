// Live updates for the staff console: listens to /staff/events (SSE, already limited by the
// server to the cases of this account's offices) and re-fetches only what changed: the row of
// the case an event names on the list page, or the live part of the open case. No HTML is built
// here from case data, so citizen text is only ever escaped by the server.
//
// Being told: the tab title carries the number of waiting cases, a new case or one waiting past
// the SLA shows an alert on the page, and (when the officer ticks the box) plays a short tone.
(() => {
  const page = document.body.dataset.page;
  const caseId = document.body.dataset.caseId;
  const live = document.getElementById('live');
  const titleEl = document.querySelector('title');
  const baseTitle = titleEl ? titleEl.dataset.base || document.title : document.title;
  const sound = document.getElementById('sound-toggle');
  const SOUND_KEY = 'thutuc-staff-sound';
  let timer;
  let waiting = 0;

  if (sound) {
    sound.checked = localStorage.getItem(SOUND_KEY) === '1';
    sound.addEventListener('change', () => localStorage.setItem(SOUND_KEY, sound.checked ? '1' : '0'));
  }

  function setTitle(n) {
    waiting = n;
    document.title = n > 0 ? `(${n}) ${baseTitle}` : baseTitle;
  }

  function beep() {
    if (!sound || !sound.checked || !window.AudioContext) return;
    try {
      const ctx = new AudioContext();
      const osc = ctx.createOscillator();
      osc.frequency.value = 880;
      osc.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.2);
    } catch { /* sound is optional */ }
  }

  function alertLine(kind) {
    const box = document.getElementById('alerts');
    if (!box) return;
    const p = document.createElement('p');
    p.className = `alert ${kind}`;
    p.textContent = box.dataset[kind] || '';
    box.prepend(p);
    while (box.children.length > 3) box.lastElementChild.remove();
  }

  async function fetchHtml(url) {
    const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
    if (res.status === 401) { location.reload(); return undefined; }
    if (res.status === 204) return null;
    if (!res.ok) return undefined;
    return res.text();
  }

  function parse(text, wrapper) {
    const tpl = document.createElement('template');
    tpl.innerHTML = wrapper ? `<table><tbody>${text}</tbody></table>` : text;
    return wrapper ? tpl.content.querySelector('tr') : tpl.content.firstElementChild;
  }

  async function swap(url, id) {
    const text = await fetchHtml(url);
    if (!text) return;
    const fresh = parse(text, false);
    const old = document.getElementById(id);
    if (fresh && old) old.replaceWith(fresh);
    return fresh;
  }

  /** The list's counts line (and the title) from the server, without re-rendering the rows. */
  async function refreshCounts() {
    const fresh = await swap(`/staff/fragments/cases${location.search}`, 'cases-live');
    if (fresh) {
      setTitle(Number(fresh.dataset.count || 0));
      const count = document.getElementById('open-count');
      if (count) count.textContent = fresh.dataset.count;
    }
  }

  /** Only the row of the case an event named: replaced, inserted at the top, or removed. */
  async function refreshRow(id, type) {
    const text = await fetchHtml(`/staff/fragments/cases/${encodeURIComponent(id)}/row`);
    if (text === undefined) return;
    const rows = document.getElementById('case-rows');
    const list = document.getElementById('cases-live');
    const old = document.querySelector(`tr[data-case="${CSS.escape(id)}"]`);
    const row = text ? parse(text, true) : null;
    const showsClosed = /[?&]state=(closed|all)/.test(location.search);
    if (!row || (row.dataset.status === 'closed' && !showsClosed)) {
      if (old) old.remove();
    } else if (old) {
      old.replaceWith(row);
    } else if (rows && list && list.dataset.insert === '1' && (type === 'opened' || type === 'transferred')) {
      rows.prepend(row);
      const table = rows.closest('table');
      if (table) table.hidden = false;
      const empty = document.getElementById('cases-empty');
      if (empty) empty.remove();
    }
    await refreshCountsLine();
  }

  /** The counts line only (a few bytes), after a row changed. */
  async function refreshCountsLine() {
    const text = await fetchHtml('/staff/fragments/counts');
    if (!text) return;
    const line = parse(text, false);
    const oldLine = document.getElementById('case-counts');
    if (line && oldLine) oldLine.replaceWith(line);
    if (line) {
      setTitle(Number(line.dataset.waiting || 0));
      const count = document.getElementById('open-count');
      if (count) count.textContent = line.dataset.waiting;
    }
  }

  async function refreshCase() {
    try {
      await swap(`/staff/cases/${encodeURIComponent(caseId)}/fragment`, 'case-live');
    } catch { /* offline for a moment: the next event or tick tries again */ }
  }

  function soon(fn) {
    clearTimeout(timer);
    timer = setTimeout(() => fn().catch(() => {}), 100);
  }

  const list = document.getElementById('cases-live');
  if (list) setTitle(Number(list.dataset.count || 0));

  if (!window.EventSource) return;
  const events = new EventSource('/staff/events');
  events.addEventListener('open', () => { if (live) live.textContent = live.dataset.on; });
  events.addEventListener('error', () => { if (live) live.textContent = live.dataset.off; });
  events.addEventListener('case', (ev) => {
    let e;
    try { e = JSON.parse(ev.data); } catch { return; }
    if (e.type === 'opened' || e.type === 'transferred') { alertLine('new'); beep(); }
    if (e.type === 'sla') { alertLine('overdue'); beep(); }
    if (page === 'cases') refreshRow(e.caseId, e.type).catch(() => {});
    else if (page === 'case' && e.caseId === caseId) soon(refreshCase);
    else if (e.type === 'opened') setTitle(waiting + 1);
  });
  // Waiting times grow without events: the list page (50 rows at most) and the open case.
  setInterval(() => {
    if (page === 'cases') refreshCounts().catch(() => {});
    else if (page === 'case' && caseId) refreshCase();
  }, 60_000);
})();
