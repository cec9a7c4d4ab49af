// The demo page: lists the bucket (via the demo server) and plays an item from the Function URL.
// Media elements use crossorigin="anonymous", so every request is a CORS request answered by the function.

const itemsEl = document.getElementById('items');
const stage = document.getElementById('stage');
const details = document.getElementById('details');
const itemUrl = document.getElementById('item-url');
const probeEl = document.getElementById('probe');
const curlEl = document.getElementById('curl');
const manifestEl = document.getElementById('manifest');
const manifestTitle = document.getElementById('manifest-title');
const manifestText = document.getElementById('manifest-text');

const HLS_TYPE = 'application/vnd.apple.mpegurl';
const DASH_TYPE = 'application/dash+xml';

// Segments (MPEG-TS, fMP4 .m4s) are parts of a playlist, not something to play on their own.
const SEGMENT_TYPES = new Set(['video/mp2t', 'video/iso.segment']);

function playable(type) {
  const essence = type.split(';')[0].trim();
  if (SEGMENT_TYPES.has(essence)) return false;
  return essence.startsWith('video/') || essence.startsWith('audio/') || essence === HLS_TYPE || essence === DASH_TYPE;
}

const dirOf = (key) => key.slice(0, key.lastIndexOf('/') + 1);

/** HLS playlists and DASH manifests: the files beside one are parts of that rendition. */
const isManifest = (type) => type.startsWith(HLS_TYPE) || type.startsWith(DASH_TYPE);

/** Files beside a manifest (init sections, byte-range media files, segments) belong to that rendition: hidden. */
function hidePlaylistParts(playableItems, allItems) {
  const renditionDirs = new Set(allItems.filter((item) => isManifest(item.type)).map((item) => dirOf(item.key)));
  return playableItems.filter((item) => isManifest(item.type) || !renditionDirs.has(dirOf(item.key)));
}

/**
 * The origin answers `<manifest>.mpd.m3u8` with an HLS multivariant playlist it generates from the stored MPD:
 * not an object in the bucket, so the listing never shows it; each DASH manifest gets one such entry.
 */
function withGeneratedHls(items) {
  const generated = items
    .filter((item) => item.type.startsWith(DASH_TYPE))
    .map((item) => ({ key: `${item.key}.m3u8`, type: HLS_TYPE, url: `${item.url}.m3u8`, generated: true }));
  return [...items, ...generated];
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
  const media = withGeneratedHls(
    hidePlaylistParts(
      items.filter((item) => playable(item.type)),
      items,
    ),
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
    meta.textContent = item.generated
      ? 'HLS generated from the DASH manifest'
      : `${item.type.split(';')[0]} · ${formatSize(item.size)}`;
    button.append(key, meta);
    button.addEventListener('click', () => {
      for (const other of itemsEl.querySelectorAll('button')) other.removeAttribute('aria-current');
      button.setAttribute('aria-current', 'true');
      play(item);
    });
    li.append(button);
    itemsEl.append(li);
  }
  const hidden = items.length - media.filter((item) => !item.generated).length;
  if (hidden > 0) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = `${hidden} other object${hidden === 1 ? '' : 's'} not shown`;
    itemsEl.append(li);
  }
}

/** Loads a player script served by the demo server once; resolves with the global it defines. */
async function loadScript(src, global) {
  if (window[global]) return window[global];
  await new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${src} failed to load`));
    document.head.append(script);
  });
  return window[global];
}

/** The player of the item on stage (hls.js or Shaka Player), destroyed when another item is picked. */
let player = null;

async function play(item) {
  await player?.destroy();
  player = null;
  const isAudio = item.type.startsWith('audio/');
  const element = document.createElement(isAudio ? 'audio' : 'video');
  element.controls = true;
  element.preload = 'metadata';
  element.crossOrigin = 'anonymous';
  element.playsInline = true;
  stage.replaceChildren(element);
  details.hidden = false;
  itemUrl.textContent = item.url;
  curlEl.textContent = `curl -sS -D - -r 0-1 -o /dev/null '${item.url}'`;
  showManifest(item);
  if (item.type.startsWith(DASH_TYPE)) {
    const shaka = await loadScript('/vendor/shaka-player.compiled.js', 'shaka');
    shaka.polyfill.installAll();
    const dash = new shaka.Player();
    player = dash;
    await dash.attach(element);
    await dash.load(item.url);
  } else if (item.type === HLS_TYPE && !element.canPlayType(HLS_TYPE)) {
    const Hls = await loadScript('/vendor/hls.min.js', 'Hls');
    if (!Hls.isSupported()) {
      stage.innerHTML = '<p class="muted">This browser cannot play HLS.</p>';
      return;
    }
    const hls = new Hls();
    player = hls;
    hls.loadSource(item.url);
    hls.attachMedia(element);
  } else {
    element.src = item.url;
  }
  probe(item.url);
}

/** A playlist or manifest is text: show what the origin answered (for generated HLS, what it generated). */
async function showManifest(item) {
  manifestEl.hidden = !isManifest(item.type);
  if (manifestEl.hidden) return;
  manifestTitle.textContent = item.generated ? 'Generated playlist' : 'Manifest';
  manifestText.textContent = '…';
  try {
    const response = await fetch(item.url);
    manifestText.textContent = response.ok ? await response.text() : `HTTP ${response.status}`;
  } catch (error) {
    manifestText.textContent = `failed: ${error.message}`;
  }
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
