// Private media demo: a signed URL for an MP4, signed cookies for an HLS rendition.
// window.privateDemo exposes the same steps to the end-to-end test (test/e2e/private-media.test.ts).

const params = new URLSearchParams(location.search);
const MP4_KEY = params.get('mp4') ?? 'sample.mp4';
const PLAYLIST_KEY = params.get('hls') ?? 'hls/fmp4/index.m3u8';

const encodeKey = (key) => key.split('/').map(encodeURIComponent).join('/');
const dirOf = (key) => key.slice(0, key.lastIndexOf('/') + 1);

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `${path}: ${response.status}`);
  return body;
}

/** A signed URL for `key`, valid `ttl` seconds. */
async function signedUrl(key, ttl = 300) {
  const { url } = await getJson(`/api/sign/url?key=${encodeURIComponent(key)}&ttl=${ttl}`);
  return url;
}

/** Signed cookies for every object under `prefix` (the demo server answers with Set-Cookie). */
async function signCookies(prefix, ttl = 300) {
  return getJson(`/api/sign/cookies?prefix=${encodeURIComponent(prefix)}&ttl=${ttl}`);
}

function waitFor(video, predicate, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; error=${video.error?.code ?? 'none'}`)), timeoutMs);
    const check = () => {
      if (video.error) {
        clearTimeout(timer);
        reject(new Error(`media error ${video.error.code}`));
      } else if (predicate()) {
        clearTimeout(timer);
        resolve();
      } else setTimeout(check, 50);
    };
    check();
  });
}

async function playMp4(url) {
  const video = document.getElementById('mp4');
  video.src = url;
  await video.play();
  await waitFor(video, () => video.currentTime > 0.3);
  return { currentTime: video.currentTime, duration: video.duration };
}

async function seekMp4(target) {
  const video = document.getElementById('mp4');
  video.currentTime = target;
  await waitFor(video, () => !video.seeking && video.currentTime > target + 0.2);
  return { currentTime: video.currentTime };
}

let hls = null;
const hlsErrors = [];

async function playHls(url) {
  const video = document.getElementById('hls');
  hls?.destroy();
  // Cookies go cross-origin only on credentialed requests; the function answers with
  // Access-Control-Allow-Credentials: true and this page's exact origin (never *).
  hls = new window.Hls({
    xhrSetup: (xhr) => {
      xhr.withCredentials = true;
    },
  });
  hls.on(window.Hls.Events.ERROR, (_event, data) => {
    hlsErrors.push({ type: data.type, details: data.details, fatal: data.fatal, status: data.response?.code ?? null });
  });
  hls.loadSource(url);
  hls.attachMedia(video);
  await new Promise((resolve, reject) => {
    hls.on(window.Hls.Events.MANIFEST_PARSED, resolve);
    hls.on(
      window.Hls.Events.ERROR,
      (_event, data) => data.fatal && reject(new Error(`${data.details} (${data.response?.code})`)),
    );
  });
  await video.play();
  await waitFor(video, () => video.currentTime > 0.3);
  return { currentTime: video.currentTime, duration: video.duration };
}

async function statusOf(url) {
  const response = await fetch(url, { credentials: 'include', headers: { Range: 'bytes=0-1' } });
  return response.status;
}

async function main() {
  const { mediaBaseUrl, signed } = await getJson('/api/media');
  document.getElementById('media-base').textContent = mediaBaseUrl;
  window.privateDemo = { mediaBaseUrl, signedUrl, signCookies, playMp4, seekMp4, playHls, statusOf, hlsErrors };
  if (params.has('manual')) return; // the end-to-end test drives the steps itself
  if (!signed) {
    for (const id of ['mp4-status', 'hls-status']) {
      document.getElementById(id).textContent = 'Signing is off: start with REQUIRE_SIGNED_REQUESTS=true npm start';
    }
    return;
  }
  const mp4Status = document.getElementById('mp4-status');
  const hlsStatus = document.getElementById('hls-status');
  try {
    const url = await signedUrl(MP4_KEY);
    mp4Status.textContent = url;
    await playMp4(url);
  } catch (error) {
    mp4Status.textContent = `failed: ${error.message}`;
  }
  try {
    await signCookies(dirOf(PLAYLIST_KEY));
    hlsStatus.textContent = `cookies for ${mediaBaseUrl}${dirOf(PLAYLIST_KEY)}*`;
    await playHls(mediaBaseUrl + encodeKey(PLAYLIST_KEY));
  } catch (error) {
    hlsStatus.textContent = `failed: ${error.message}`;
  }
}

main();
