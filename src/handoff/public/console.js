// Live updates for the staff console: listens to /staff/events (SSE) and re-fetches the
// server-rendered, already escaped fragment of the page that changed. No HTML is built here
// from case data, so citizen text is only ever escaped by the server.
(() => {
  const page = document.body.dataset.page;
  const caseId = document.body.dataset.caseId;
  const live = document.getElementById('live');
  let timer;

  async function swap(url, id) {
    const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
    if (res.status === 401) { location.reload(); return; }
    if (!res.ok) return;
    const tpl = document.createElement('template');
    tpl.innerHTML = await res.text();
    const fresh = tpl.content.firstElementChild;
    const old = document.getElementById(id);
    if (fresh && old) old.replaceWith(fresh);
    return fresh;
  }

  async function refresh() {
    try {
      if (page === 'cases') {
        const fresh = await swap('/staff/fragments/cases', 'cases-live');
        const count = document.getElementById('open-count');
        if (fresh && count) count.textContent = fresh.dataset.count;
      } else if (page === 'case' && caseId) {
        await swap(`/staff/cases/${encodeURIComponent(caseId)}/fragment`, 'case-live');
      }
    } catch { /* offline for a moment: the next event or tick tries again */ }
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 100);
  }

  if (!window.EventSource) return;
  const events = new EventSource('/staff/events');
  events.addEventListener('open', () => { if (live) live.textContent = live.dataset.on; });
  events.addEventListener('error', () => { if (live) live.textContent = live.dataset.off; });
  events.addEventListener('case', (ev) => {
    let e;
    try { e = JSON.parse(ev.data); } catch { return; }
    if (page === 'cases' || (page === 'case' && e.caseId === caseId)) soon();
  });
  // Waiting times grow without events.
  setInterval(refresh, 60_000);
})();
