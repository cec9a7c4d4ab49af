// The demo page: lists the bucket (via the demo server) and plays an item from the Function URL.
// Media elements use crossorigin="anonymous", so every request is a CORS request answered by the function.

const itemsEl = document.getElementById('items');
const stage = document.getElementById('stage');
const details = document.getElementById('details');
const itemUrl = document.getElementById('item-url');
const probeEl = document.getElementById('probe');
const curlEl = document.getElementById('curl');
let hls = null;

const HLS_TYPE = 'application/vnd.apple.mpegurl';
const DASH_TYPE = 'application/dash+xml';

// Segments (MPEG-TS, fMP4 .m4s) are parts of a playlist, not something to play on their own.
const SEGMENT_TYPES = new Set(['video/mp2t', 'video/iso.segment']);

function playable(type) {
  const essence = type.split(';')[0].trim();
  if (SEGMENT_TYPES.has(essence)) return false;
  return essence.startsWith('video/') || essence.startsWith('audio/') || essence === HLS_TYPE;
}

const dirOf = (key) => key.slice(0, key.lastIndexOf('/') + 1);

/** HLS playlists and DASH manifests: the files beside one are parts of that rendition. */
const isManifest = (type) => type.startsWith(HLS_TYPE) || type.startsWith(DASH_TYPE);

/**
 * Files beside a manifest (init sections, byte-range media files, segments) belong to that rendition: list the
 * HLS playlist, and nothing of a DASH rendition (this page has no DASH player; the e2e suites play them).
 */
function hidePlaylistParts(playableItems, allItems) {
  const renditionDirs = new Set(allItems.filter((item) => isManifest(item.type)).map((item) => dirOf(item.key)));
  return playableItems.filter((item) => item.type.startsWith(HLS_TYPE) || !renditionDirs.has(dirOf(item.key)));
}

/** Top-level files first, then by key. */
function byDepthThenKey(a, b) {
  const depth = a.key.split('/').length - b.key.split('/').length;
  return depth !== 0 ? depth : a.key.localeCompare(b.key);
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function load() {
  const response = await fetch('/api/media');
  if (!response.ok) throw new Error(`listing failed: ${response.status}`);
  const { mediaBaseUrl, items } = await response.json();
  document.getElementById('media-base').textContent = mediaBaseUrl;
  const media = hidePlaylistParts(
    items.filter((item) => playable(item.type)),
    items,
  ).sort(byDepthThenKey);
  itemsEl.replaceChildren();
  if (media.length === 0) {
    itemsEl.innerHTML = '<li class="muted">No audio or video in the bucket.</li>';
    return;
  }
  for (const item of media) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    const key = document.createElement('span');
    key.className = 'key';
    key.textContent = item.key;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${item.type.split(';')[0]} · ${formatSize(item.size)}`;
    button.append(key, meta);
    button.addEventListener('click', () => {
      for (const other of itemsEl.querySelectorAll('button')) other.removeAttribute('aria-current');
      button.setAttribute('aria-current', 'true');
      play(item);
    });
    li.append(button);
    itemsEl.append(li);
  }
  const hidden = items.length - media.length;
  if (hidden > 0) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = `${hidden} other object${hidden === 1 ? '' : 's'} not shown`;
    itemsEl.append(li);
  }
}

async function loadHlsJs() {
  if (window.Hls) return window.Hls;
  await new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/vendor/hls.min.js';
    script.onload = resolve;
    script.onerror = () => reject(new Error('hls.js failed to load'));
    document.head.append(script);
  });
  return window.Hls;
}

async function play(item) {
  if (hls) {
    hls.destroy();
    hls = null;
  }
  const isAudio = item.type.startsWith('audio/');
  const element = document.createElement(isAudio ? 'audio' : 'video');
  element.controls = true;
  element.preload = 'metadata';
  element.crossOrigin = 'anonymous';
  element.playsInline = true;
  stage.replaceChildren(element);
  if (item.type === HLS_TYPE && !element.canPlayType(HLS_TYPE)) {
    const Hls = await loadHlsJs();
    if (!Hls.isSupported()) {
      stage.innerHTML = '<p class="muted">This browser cannot play HLS.</p>';
      return;
    }
    hls = new Hls();
    hls.loadSource(item.url);
    hls.attachMedia(element);
  } else {
    element.src = item.url;
  }
  details.hidden = false;
  itemUrl.textContent = item.url;
  curlEl.textContent = `curl -sS -D - -r 0-1 -o /dev/null '${item.url}'`;
  probe(item.url);
}

async function probe(url) {
  probeEl.textContent = '…';
  try {
    const response = await fetch(url, { headers: { Range: 'bytes=0-1' } });
    const bytes = (await response.arrayBuffer()).byteLength;
    probeEl.textContent = `bytes=0-1 → ${response.status}, Content-Range: ${response.headers.get('content-range') ?? '(none)'}, ${bytes} bytes, ETag: ${response.headers.get('etag') ?? '(not exposed)'}`;
  } catch (error) {
    probeEl.textContent = `failed: ${error.message}`;
  }
}

// The live request log: every exchange the local Function URL reports, streamed by the demo server on /events
// (Server-Sent Events), newest first, at most MAX_ROWS rows.
const MAX_ROWS = 200;
const requestsBody = document.getElementById('requests-body');
const requestsState = document.getElementById('requests-state');

const OUTCOME_NOTES = {
  'viewer-gone': 'client left before the end',
  cut: 'cut: incomplete on purpose',
};

function clientName(userAgent) {
  if (!userAgent) return '';
  for (const [pattern, name] of [
    [/Edg\//, 'Edge'],
    [/Firefox\//, 'Firefox'],
    [/Chrome\//, 'Chrome'],
    [/GStreamer|souphttpsrc/i, 'GStreamer'],
    [/Safari\//, 'Safari/WebKit'],
  ]) {
    if (pattern.test(userAgent)) return name;
  }
  return userAgent.split(' ')[0];
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function note(td, text) {
  const span = document.createElement('span');
  span.className = 'note';
  span.textContent = text;
  td.append(span);
}

function formatMs(ms) {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function renderExchange(record) {
  const row = document.createElement('tr');
  row.dataset.status = String(record.status ?? '');
  const time = new Date(record.time);
  cell(row, `${time.toLocaleTimeString([], { hour12: false })}.${String(time.getMilliseconds()).padStart(3, '0')}`);
  cell(row, record.method, 'method');
  cell(row, record.path, 'path');
  const range = cell(row, record.range ?? '—', 'range');
  if (record.ifRange) note(range, `If-Range: ${record.ifRange}`);
  const status = cell(
    row,
    record.status === null ? '—' : String(record.status),
    `status status-${String(record.status ?? '').charAt(0)} outcome-${record.outcome}`,
  );
  if (record.redirectedTo) note(status, `redirected → ${record.redirectedTo}`);
  if (OUTCOME_NOTES[record.outcome]) note(status, OUTCOME_NOTES[record.outcome]);
  cell(row, record.contentRange ?? '—', 'content-range');
  const bytes = cell(row, record.bytes.toLocaleString('en'), 'num bytes');
  if (record.declaredLength !== null && record.declaredLength !== record.bytes) {
    note(bytes, `of ${record.declaredLength.toLocaleString('en')}`);
  }
  cell(row, formatMs(record.firstByteMs), 'num');
  cell(row, formatMs(record.durationMs), 'num');
  const client = cell(row, clientName(record.userAgent), 'client');
  client.title = record.userAgent ?? '';
  // Records come when a response is over; rows are ordered by arrival (the Time column), newest first.
  const arrived = time.getTime();
  row.dataset.arrived = String(arrived);
  const after = Array.from(requestsBody.rows).find((other) => Number(other.dataset.arrived) <= arrived);
  requestsBody.insertBefore(row, after ?? null);
  while (requestsBody.rows.length > MAX_ROWS) requestsBody.lastElementChild.remove();
}

function connectRequestLog() {
  const events = new EventSource('/events');
  events.onopen = () => {
    requestsState.textContent = 'live';
  };
  events.onerror = () => {
    requestsState.textContent = 'reconnecting…';
  };
  events.onmessage = (event) => renderExchange(JSON.parse(event.data));
  document.getElementById('requests-clear').addEventListener('click', () => requestsBody.replaceChildren());
}

connectRequestLog();

load().catch((error) => {
  itemsEl.innerHTML = '';
  const li = document.createElement('li');
  li.className = 'muted';
  li.textContent = error.message;
  itemsEl.append(li);
});
