// The web chat page: plain JavaScript, no build step. Talks to /api/chat; keeps the chat
// credential the server issued (its first answer's chatToken) in localStorage so a reload
// continues the conversation, and sends it only in the X-Chat-Id header, never in a URL (URLs
// end up in proxy logs). Polls /api/chat/updates for replies that arrive later (a support
// officer answering). A credential the server refuses (401) is dropped and a new chat begins.
const STORAGE_KEY = 'thutuc.chatToken';
const LANG_KEY = 'thutuc.lang';
const POLL_MS = 4000;

const log = document.getElementById('log');
const form = document.getElementById('form');
const input = document.getElementById('input');
const statusLine = document.getElementById('status');
const langButton = document.getElementById('lang');
const restartButton = document.getElementById('restart');

// Chat ids of the old page (made in the browser) are not credentials; they are simply forgotten.
localStorage.removeItem('thutuc.chatId');
let chatToken = localStorage.getItem(STORAGE_KEY);
if (chatToken && !/^[A-Za-z0-9_-]{8,64}\.[A-Za-z0-9_-]{43}$/.test(chatToken)) chatToken = null;

function chatHeaders(extra) {
  return chatToken ? { ...extra, 'X-Chat-Id': chatToken } : { ...extra };
}
function forgetChat() {
  chatToken = null;
  localStorage.removeItem(STORAGE_KEY);
}
let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
let ui = {};
let seq = 0;
let busy = false;

async function loadUi() {
  try {
    ui = await (await fetch(`/api/ui?lang=${lang}`)).json();
  } catch { return; }
  document.documentElement.lang = lang;
  document.title = ui.title;
  document.getElementById('title').textContent = ui.title;
  document.getElementById('subtitle').textContent = ui.subtitle;
  input.placeholder = ui.placeholder;
  document.getElementById('send').textContent = ui.send;
  document.getElementById('input-label').textContent = ui.placeholder;
  restartButton.textContent = ui.restart;
  langButton.textContent = ui.lang_toggle;
  langButton.lang = lang === 'vi' ? 'en' : 'vi';
  log.setAttribute('aria-label', ui.log_label);
}

// Text is always inserted as text nodes; URLs become links. Nothing from the server is parsed as HTML.
function appendText(el, text) {
  const parts = String(text).split(/(https?:\/\/[^\s)]+)/g);
  for (const part of parts) {
    if (/^https?:\/\//.test(part)) {
      const a = document.createElement('a');
      a.href = part; a.textContent = part; a.target = '_blank'; a.rel = 'noopener noreferrer';
      el.append(a);
    } else if (part) el.append(document.createTextNode(part));
  }
}

function disableOldOptions() {
  for (const b of log.querySelectorAll('.options button')) b.disabled = true;
}

function addMessage(from, text, reply) {
  const div = document.createElement('div');
  div.className = `msg ${from}`;
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = from === 'user' ? ui.you || 'Bạn' : from === 'staff' ? ui.staff || 'Cán bộ hỗ trợ' : ui.bot || 'Trợ lý';
  div.append(who);
  const body = document.createElement('div');
  appendText(body, text);
  div.append(body);
  if (reply && reply.links && reply.links.length) {
    const links = document.createElement('div');
    links.className = 'links';
    for (const l of reply.links) {
      const a = document.createElement('a');
      a.href = l.url; a.textContent = l.label; a.target = '_blank'; a.rel = 'noopener noreferrer';
      links.append(a);
    }
    div.append(links);
  }
  if (reply && reply.options && reply.options.length) {
    disableOldOptions();
    const opts = document.createElement('div');
    opts.className = 'options';
    opts.setAttribute('role', 'group');
    reply.options.forEach((o, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `${i + 1}. ${o.label}`;
      b.dataset.choice = o.id;
      b.addEventListener('click', () => send({ choice: o.id }, o.label));
      opts.append(b);
    });
    div.append(opts);
  }
  log.append(div);
  return div;
}

// Brings `el` to the top of the log, or as far as the log scrolls: a long answer is read from
// its first line, short replies end up at the bottom as in any chat.
function reveal(el) {
  if (el) log.scrollTop = el.offsetTop - 8; // .log is positioned, so it is the offsetParent
}

function showReplies(replies) {
  let first;
  let last;
  for (const r of replies) {
    last = addMessage(r.from === 'staff' ? 'staff' : 'bot', r.text, r);
    first = first || last;
  }
  reveal(first);
  const button = last && last.querySelector('.options button');
  if (button && document.activeElement !== input) button.focus({ preventScroll: true });
}

async function send(body, shown) {
  if (busy) return;
  busy = true;
  statusLine.textContent = '';
  if (shown) { disableOldOptions(); reveal(addMessage('user', shown)); }
  try {
    let res = await fetch('/api/chat', { method: 'POST', headers: chatHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) });
    if (res.status === 401 && chatToken) {
      forgetChat();
      seq = 0;
      res = await fetch('/api/chat', { method: 'POST', headers: chatHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) });
    }
    const data = await res.json();
    if (data.chatToken) { chatToken = data.chatToken; localStorage.setItem(STORAGE_KEY, chatToken); }
    // 202: stored, the reply is slow; it comes with the next poll.
    if (res.status === 202) return;
    if (!res.ok) throw new Error(data.error || res.statusText);
    seq = Math.max(seq, data.seq || 0);
    showReplies(data.replies);
  } catch (e) {
    statusLine.textContent = ui.error || 'Không gửi được tin nhắn. Vui lòng thử lại.';
  } finally {
    busy = false;
  }
}

async function poll() {
  if (busy || !chatToken) return;
  try {
    const res = await fetch(`/api/chat/updates?after=${seq}`, { headers: chatHeaders({}) });
    if (!res.ok) return;
    const data = await res.json();
    if (busy) return;
    // A reply the POST answer already showed may also come back here; each has its seq.
    const fresh = data.replies.filter((r) => !(r.seq <= seq));
    if (fresh.length) showReplies(fresh);
    seq = Math.max(seq, data.seq || 0);
  } catch { /* offline: try again later */ }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text }, text);
});

langButton.addEventListener('click', async () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem(LANG_KEY, lang);
  await loadUi();
  send({ choice: lang === 'en' ? 'cmd:lang_en' : 'cmd:lang_vi' });
});

restartButton.addEventListener('click', () => send({ choice: 'cmd:menu' }));

// "/?flow=khai-sinh" (a QR poster's link) opens the chat at that flow; otherwise the menu.
function openingBody() {
  const flow = new URLSearchParams(location.search).get('flow');
  return flow && /^[a-z0-9-]{1,64}$/.test(flow) ? { flow } : {};
}
// Once opened, the link has done its job: a reload continues the chat instead of restarting the flow.
function forgetFlowLink() {
  if (new URLSearchParams(location.search).has('flow')) history.replaceState(null, '', location.pathname);
}

async function start() {
  await loadUi();
  try {
    if (!chatToken) throw new Error('no chat yet');
    const res = await fetch('/api/chat/history', { headers: chatHeaders({}) });
    if (res.status === 401) { forgetChat(); throw new Error('chat not recognised'); }
    const data = await res.json();
    if (data.locale && data.locale !== lang) { lang = data.locale; localStorage.setItem(LANG_KEY, lang); await loadUi(); }
    if (data.messages && data.messages.length) {
      for (const m of data.messages) addMessage(m.from === 'user' ? 'user' : m.from, m.text, m);
      if (data.current && data.current.options) {
        const last = log.lastElementChild;
        if (last) last.remove();
        addMessage('bot', data.current.text, data.current);
      }
      seq = data.seq || 0;
      reveal(log.lastElementChild);
      // A poster's link scanned by someone who chatted before: still open the flow it names.
      if (openingBody().flow) await send(openingBody());
    } else {
      await send(openingBody());
    }
  } catch {
    await send(openingBody());
  }
  forgetFlowLink();
  setInterval(poll, POLL_MS);
  input.focus();
}

start();
