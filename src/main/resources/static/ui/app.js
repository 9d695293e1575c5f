// The skychat web UI: sign-in, conversations with unread counts, a live conversation view with
// delivery ticks, and the node's status. Plain ES modules, no build step, nothing loaded from elsewhere.
import * as api from './api.js';

const $ = (id) => document.getElementById(id);
const PK = /^[0-9a-f]{66}$/;
const RANK = { queued: 0, sent: 1, failed: 1.5, received: 2, read: 3 };
const TICK = { queued: '◷', sent: '✓', received: '✓✓', read: '✓✓', failed: '!' };
const STATUS_WORDS = { queued: 'queued', sent: 'sent', received: 'received', read: 'read', failed: 'not delivered' };

const state = {
  signedIn: false,
  status: null,
  conversations: new Map(), // peer → { peer, messages: Map(id → message) }
  lateStatus: new Map(),    // status events that came before their message
  current: null,
  events: null,
  statusTimer: null,
  historyOn: true,
};

function conversation(peer) {
  let c = state.conversations.get(peer);
  if (!c) {
    c = { peer, messages: new Map() };
    state.conversations.set(peer, c);
  }
  return c;
}

const seenKey = (peer) => `skychat.seen.${peer}`;
const seenAt = (peer) => Number(localStorage.getItem(seenKey(peer)) || 0);

function unreadCount(c) {
  const seen = seenAt(c.peer);
  let n = 0;
  for (const m of c.messages.values()) {
    if (!m.outgoing && m.ts > seen) n++;
  }
  return n;
}

function shortKey(pk) {
  return pk.length > 20 ? `${pk.slice(0, 10)}…${pk.slice(-8)}` : pk;
}

// ---- messages --------------------------------------------------------------------------------

function addMessage(m) {
  const c = conversation(m.peer);
  const known = c.messages.get(m.id);
  if (known) {
    setStatus(known, m.status);
    return known;
  }
  c.messages.set(m.id, m);
  const late = state.lateStatus.get(m.id);
  if (late) {
    state.lateStatus.delete(m.id);
    setStatus(m, late);
  }
  if (state.current === m.peer) {
    renderMessage(m, true);
    if (!m.outgoing) markShown([m]);
  }
  return m;
}

function setStatus(m, status) {
  if (!m.outgoing || !status || status === m.status) return;
  if (m.status && RANK[status] < RANK[m.status]) return; // ticks only move forward
  m.status = status;
  if (m.el) paintStatus(m);
}

function fromHistory(row) {
  return {
    id: row.id, peer: row.peer, outgoing: row.outgoing, text: row.text,
    ts: Date.parse(row.timestamp) || Date.now(), status: row.outgoing ? (row.status || 'sent') : null,
  };
}

// ---- live events -----------------------------------------------------------------------------

function openEvents() {
  if (state.events) return;
  const source = new EventSource('/sse');
  state.events = source;
  source.onopen = () => { $('live-state').textContent = 'Live'; };
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) {
      state.events = null;
      $('live-state').textContent = 'Disconnected';
      checkSignedIn();
    } else {
      $('live-state').textContent = 'Reconnecting…';
    }
  };
  source.onmessage = (e) => {
    let data;
    try { data = JSON.parse(e.data); } catch (err) { return; }
    onEvent(data);
  };
}

function closeEvents() {
  if (state.events) {
    state.events.close();
    state.events = null;
  }
  $('live-state').textContent = '';
}

function onEvent(data) {
  if (data.history === 'true') return; // replayed history rows; /history has them with their ids
  if (data.channel === 'dm-status') {
    const m = findMessage(data.peer, data.id);
    if (m) setStatus(m, data.status); else state.lateStatus.set(data.id, data.status);
    return;
  }
  if (data.channel || !data.id || typeof data.message !== 'string') return;
  const outgoing = data.dir === 'out';
  const peer = outgoing ? data.to : data.sender;
  if (!peer) return;
  const isNew = !conversation(peer).messages.has(data.id);
  addMessage({ id: data.id, peer, outgoing, text: data.message, ts: Date.now(), status: outgoing ? 'sent' : null });
  if (isNew && state.current !== peer) renderConversationList();
}

function findMessage(peer, id) {
  const c = peer && state.conversations.get(peer);
  if (c && c.messages.has(id)) return c.messages.get(id);
  for (const conv of state.conversations.values()) {
    if (conv.messages.has(id)) return conv.messages.get(id);
  }
  return null;
}

// ---- views -----------------------------------------------------------------------------------

const VIEWS = ['signin', 'conversations', 'chat', 'status'];

function show(view, heading) {
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
  $('nav').hidden = !state.signedIn;
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (view !== 'status' && state.statusTimer) {
    clearInterval(state.statusTimer);
    state.statusTimer = null;
  }
  $(heading).focus();
}

function showError(id, message) {
  const el = $(id);
  el.textContent = message || '';
  el.hidden = !message;
}

async function route() {
  if (!state.signedIn) {
    state.current = null;
    show('signin', 'signin-title');
    $('signin-token').focus();
    return;
  }
  const hash = location.hash || '#/';
  const chat = hash.match(/^#\/chat\/([0-9a-fA-F]{66})$/);
  if (chat) {
    await openConversation(chat[1].toLowerCase());
  } else if (hash === '#/status') {
    state.current = null;
    show('status', 'status-title');
    await renderStatus();
    state.statusTimer = setInterval(renderStatus, 5000);
  } else {
    state.current = null;
    show('conversations', 'conversations-title');
    await loadConversations();
  }
}

// sign-in

async function checkSignedIn() {
  try {
    state.status = await api.status();
    state.signedIn = true;
  } catch (e) {
    state.signedIn = false;
    state.status = null;
    if (e.status !== 401) showError('signin-error', e.message);
  }
  if (state.signedIn) {
    await loadHistory(); // first, so the live stream's replay of recent messages is recognised, not unread
    openEvents();
  } else {
    closeEvents();
  }
  await route();
}

async function onSignIn(event) {
  event.preventDefault();
  const field = $('signin-token');
  const secret = field.value.trim();
  if (!secret) {
    showError('signin-error', 'Enter the API token or password.');
    field.focus();
    return;
  }
  $('signin-submit').disabled = true;
  try {
    await api.signIn(secret);
    field.value = '';
    showError('signin-error', '');
    await checkSignedIn();
  } catch (e) {
    showError('signin-error', e.status === 401 ? `Sign-in refused: ${e.message}` : e.message);
    field.select();
    field.focus();
  } finally {
    $('signin-submit').disabled = false;
  }
}

async function onSignOut() {
  try { await api.signOut(); } catch (e) { /* the cookie is gone either way once it expires */ }
  state.signedIn = false;
  state.conversations.clear();
  closeEvents();
  location.hash = '#/';
  await route();
}

// conversations

async function loadHistory() {
  state.historyNote = '';
  try {
    const rows = await api.history(null, 1000);
    state.historyOn = true;
    for (const row of rows) addMessage(fromHistory(row));
  } catch (e) {
    state.historyOn = e.status !== 503;
    state.historyNote = e.status === 503
      ? 'History is off on this node: conversations appear here as messages arrive.'
      : `Could not load the history: ${e.message}`;
  }
}

async function loadConversations() {
  $('conversations-note').textContent = state.historyNote || '';
  $('conversations-note').hidden = !state.historyNote;
  for (const peer of (state.status && state.status.peers) || []) conversation(peer);
  renderConversationList();
  renderPanels();
}

function lastMessage(c) {
  let last = null;
  for (const m of c.messages.values()) if (!last || m.ts >= last.ts) last = m;
  return last;
}

function renderConversationList() {
  const list = $('conversation-list');
  const sorted = [...state.conversations.values()]
    .sort((a, b) => ((lastMessage(b) || { ts: 0 }).ts - (lastMessage(a) || { ts: 0 }).ts));
  list.replaceChildren(...sorted.map((c) => {
    const li = document.createElement('li');
    li.className = 'conversation';
    li.dataset.peer = c.peer;
    const a = document.createElement('a');
    a.href = `#/chat/${c.peer}`;
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = shortKey(c.peer);
    who.title = c.peer;
    a.append(who);
    const last = lastMessage(c);
    if (last) {
      const preview = document.createElement('span');
      preview.className = 'last';
      preview.textContent = (last.outgoing ? 'You: ' : '') + last.text;
      a.append(preview);
    }
    const n = unreadCount(c);
    if (n > 0) {
      const badge = document.createElement('span');
      badge.className = 'unread';
      badge.textContent = String(n);
      badge.setAttribute('aria-label', `${n} unread`);
      a.append(badge);
    }
    a.setAttribute('aria-label', `${c.peer}${n > 0 ? `, ${n} unread` : ''}`);
    li.append(a);
    return li;
  }));
}

// Pairs and groups exist only on nodes that run those features; /status says which.
function renderPanels() {
  const s = state.status || {};
  $('panel-pairs').hidden = !s.pairing_enabled;
  if (s.pairing_enabled) {
    api.api('GET', '/pair').then((pairs) => fillList('pair-list', (pairs || []).map((p) => p.pk || p.peer || String(p))),
      () => fillList('pair-list', []));
  }
  const groups = Array.isArray(s.groups) ? s.groups : [];
  $('panel-groups').hidden = groups.length === 0;
  fillList('group-list', groups.map((g) => `${g.name || g.id} (${g.members_count} members, ${g.status})`));
}

function fillList(id, items) {
  $(id).replaceChildren(...(items.length ? items : ['None yet']).map((text) => {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }));
}

function onNewConversation(event) {
  event.preventDefault();
  const peer = $('new-peer').value.trim().toLowerCase();
  if (!PK.test(peer)) {
    showError('new-peer-error', 'A public key is 66 hex characters, starting with 02 or 03.');
    $('new-peer').focus();
    return;
  }
  showError('new-peer-error', '');
  $('new-peer').value = '';
  location.hash = `#/chat/${peer}`;
}

// one conversation

async function openConversation(peer) {
  state.current = peer;
  $('chat-title').textContent = `Conversation with ${shortKey(peer)}`;
  $('chat-peer').textContent = peer;
  showError('chat-error', '');
  $('messages').replaceChildren();
  show('chat', 'chat-title');
  const c = conversation(peer);
  if (state.historyOn) {
    try {
      const rows = await api.history(peer, 200);
      for (const row of rows) {
        const m = fromHistory(row);
        const known = c.messages.get(m.id);
        if (known) setStatus(known, m.status); else c.messages.set(m.id, m);
      }
    } catch (e) {
      if (e.status === 401) return checkSignedIn();
      if (e.status !== 503) showError('chat-error', `Could not load the history: ${e.message}`);
    }
  }
  if (state.current !== peer) return;
  const messages = [...c.messages.values()].sort((a, b) => a.ts - b.ts);
  for (const m of messages) renderMessage(m, false);
  scrollToEnd();
  markShown(messages.filter((m) => !m.outgoing));
}

function renderMessage(m, live) {
  const li = document.createElement('li');
  li.className = `msg ${m.outgoing ? 'out' : 'in'}`;
  li.dataset.id = m.id;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = m.text;
  const meta = document.createElement('span');
  meta.className = 'meta';
  const time = document.createElement('time');
  time.dateTime = new Date(m.ts).toISOString();
  time.textContent = new Date(m.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  meta.append(time);
  li.append(text, meta);
  m.el = li;
  if (m.outgoing) paintStatus(m);
  $('messages').append(li);
  if (live) scrollToEnd();
}

function paintStatus(m) {
  const li = m.el;
  li.dataset.status = m.status;
  const meta = li.querySelector('.meta');
  meta.querySelector('.tick')?.remove();
  meta.querySelector('.resend')?.remove();
  const tick = document.createElement('span');
  tick.className = 'tick';
  tick.textContent = TICK[m.status] || '';
  tick.title = STATUS_WORDS[m.status] || m.status;
  tick.setAttribute('role', 'img');
  tick.setAttribute('aria-label', STATUS_WORDS[m.status] || m.status);
  meta.append(tick);
  if (m.status === 'failed') {
    const again = document.createElement('button');
    again.type = 'button';
    again.className = 'small resend';
    again.textContent = 'Resend';
    again.addEventListener('click', () => resend(m));
    meta.append(again);
  }
}

function scrollToEnd() {
  const list = $('messages');
  list.scrollTop = list.scrollHeight;
}

// Read receipts go out for inbound messages the person has now seen, once each.
function markShown(messages) {
  if (!state.current || document.visibilityState !== 'visible') return;
  const peer = state.current;
  const seen = seenAt(peer);
  const fresh = messages.filter((m) => !m.outgoing && m.peer === peer && m.ts > seen);
  if (!fresh.length) return;
  localStorage.setItem(seenKey(peer), String(Math.max(...fresh.map((m) => m.ts))));
  api.markRead(peer, fresh.map((m) => m.id)).catch(() => { /* a lost receipt only leaves their tick at received */ });
}

async function sendText(peer, text) {
  const network = $('composer-network').value;
  const local = { id: `local-${crypto.randomUUID()}`, peer, outgoing: true, text, ts: Date.now(), status: 'queued' };
  addMessage(local);
  const c = conversation(peer);
  try {
    const answer = await api.send(peer, text, network);
    c.messages.delete(local.id);
    const echoed = c.messages.get(answer.id); // the live event may have come first
    if (echoed) {
      local.el?.remove();
      setStatus(echoed, answer.status);
      return;
    }
    local.id = answer.id;
    if (local.el) local.el.dataset.id = answer.id;
    c.messages.set(answer.id, local);
    const late = state.lateStatus.get(answer.id);
    state.lateStatus.delete(answer.id);
    local.status = null;
    setStatus(local, answer.status || 'queued');
    if (late) setStatus(local, late);
  } catch (e) {
    if (e.status === 401) return checkSignedIn();
    local.status = 'failed';
    if (local.el) paintStatus(local);
    showError('chat-error', `Not sent: ${e.message}`);
  }
}

function resend(m) {
  conversation(m.peer).messages.delete(m.id);
  m.el?.remove();
  showError('chat-error', '');
  sendText(m.peer, m.text);
}

function onSend(event) {
  event.preventDefault();
  const box = $('composer-text');
  const text = box.value;
  if (!text.trim() || !state.current) return;
  box.value = '';
  box.focus();
  sendText(state.current, text);
}

// status

const STATUS_LABELS = {
  visor_pk: 'Public key', peers: 'Connected peers', active_peer_conns: 'Open peer links',
  app_uptime_sec: 'Up for (s)', persistence_enabled: 'History kept', pairing_enabled: 'Pairing',
  sse_subscribers: 'Live listeners', inbound_msg_count: 'Messages in', outbound_msg_count: 'Messages out',
  outbound_fail_count: 'Sends failed', outbound_retry_count: 'Send retries', last_rx_ts: 'Last received',
  last_send_ts: 'Last sent',
};

async function renderStatus() {
  let s;
  try {
    s = await api.status();
    state.status = s;
    showError('status-error', '');
  } catch (e) {
    if (e.status === 401) return checkSignedIn();
    showError('status-error', `Could not read the status: ${e.message}`);
    return;
  }
  const rows = [];
  const keys = [...Object.keys(STATUS_LABELS).filter((k) => k in s), ...Object.keys(s).filter((k) => !(k in STATUS_LABELS))];
  for (const key of keys) {
    const dt = document.createElement('dt');
    dt.textContent = STATUS_LABELS[key] || key.replaceAll('_', ' ');
    const dd = document.createElement('dd');
    const v = s[key];
    dd.dataset.key = key;
    if (Array.isArray(v)) {
      dd.textContent = v.length ? v.map((x) => (typeof x === 'object' ? (x.name || x.id || JSON.stringify(x)) : x)).join(', ') : '—';
    } else if (typeof v === 'boolean') {
      dd.textContent = v ? 'yes' : 'no';
    } else {
      dd.textContent = v === null || v === undefined || v === '' ? '—' : String(v);
    }
    rows.push(dt, dd);
  }
  $('status-list').replaceChildren(...rows);
}

// ---- start -----------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('signin-form').addEventListener('submit', onSignIn);
  $('sign-out').addEventListener('click', onSignOut);
  $('new-conversation').addEventListener('submit', onNewConversation);
  $('composer').addEventListener('submit', onSend);
  $('composer-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $('composer').requestSubmit();
    }
  });
  document.addEventListener('visibilitychange', () => {
    const c = state.current && state.conversations.get(state.current);
    if (c) markShown([...c.messages.values()]);
  });
  window.addEventListener('hashchange', route);
  checkSignedIn();
});
