// In-page helpers the e2e suites drive through Playwright. Every wait resolves on a media event (seeked,
// timeupdate, ended, error); the only timer is a guard that turns a hang into a descriptive failure.

(() => {
  const GUARD_MS = 45_000;

  function describe(el) {
    const buffered = [];
    for (let i = 0; i < el.buffered.length; i += 1) buffered.push([el.buffered.start(i), el.buffered.end(i)]);
    return {
      currentTime: el.currentTime,
      duration: el.duration,
      paused: el.paused,
      ended: el.ended,
      readyState: el.readyState,
      networkState: el.networkState,
      error: el.error ? { code: el.error.code, message: el.error.message } : null,
      buffered,
    };
  }

  // Resolves when `done(event)` returns true for one of `events` on `el`; rejects on a media error or the guard.
  function until(el, events, done, what) {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(guard);
        for (const name of events) el.removeEventListener(name, onEvent);
        el.removeEventListener('error', onError);
      };
      const onEvent = (event) => {
        if (done(event)) {
          cleanup();
          resolve(describe(el));
        }
      };
      const onError = () => {
        cleanup();
        reject(new Error(`media error while waiting for ${what}: ${JSON.stringify(describe(el))}`));
      };
      const guard = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(describe(el))}`));
      }, GUARD_MS);
      for (const name of events) el.addEventListener(name, onEvent);
      el.addEventListener('error', onError);
      // The condition may already hold (e.g. the element advanced before we started listening).
      onEvent(new Event('check'));
    });
  }

  let current = null;
  let hls = null;
  const hlsErrors = [];
  // A DASH player (dash.js or Shaka) attached to `current`, and the errors it reported.
  let dash = null;
  const dashErrors = [];

  function createElement(kind) {
    if (hls) {
      hls.destroy();
      hls = null;
    }
    if (dash) {
      dash.destroy();
      dash = null;
    }
    if (current) {
      current.pause();
      current.removeAttribute('src');
      current.load();
      current.remove();
    }
    const el = document.createElement(kind);
    // CORS mode: the origin must answer with Access-Control-Allow-Origin or the element refuses the media.
    el.crossOrigin = 'anonymous';
    el.muted = true;
    el.preload = 'auto';
    el.controls = true;
    el.width = 480;
    document.getElementById('players').append(el);
    current = el;
    return el;
  }

  async function startAndAdvance(el, minAdvance) {
    const from = el.currentTime;
    const advanced = until(
      el,
      ['timeupdate', 'ended'],
      () => el.ended || el.currentTime >= from + minAdvance,
      'playback to start',
    );
    // play() stays pending while no media data arrives (e.g. every fragment request refused): the guard of
    // `advanced` turns that into a descriptive failure instead of a hang; a rejected play() fails at once.
    await Promise.race([el.play(), advanced]);
    return advanced;
  }

  window.e2e = {
    /** Progressive playback: <video>/<audio> with src pointing at the origin. */
    async loadMedia(src, kind, minAdvance) {
      const el = createElement(kind);
      el.src = src;
      await until(el, ['loadedmetadata'], () => el.readyState >= 1, 'metadata');
      return startAndAdvance(el, minAdvance);
    },

    /**
     * HLS through hls.js (MSE), the way most web players play HLS. `rewrite` maps a request URL without its query
     * (origin + path) to the URL to fetch instead, as loadDash's does: the control uses it to send every request
     * the playlists imply (their relative URIs lose the playlist's query) as a presigned S3 URL, through a loader
     * of hls.js's own (its `loader` config option) that swaps the URL before the default loader opens it.
     */
    async loadHls(src, rewrite, minAdvance) {
      if (!window.Hls?.isSupported()) throw new Error('hls.js is not supported in this browser');
      const el = createElement('video');
      hlsErrors.length = 0;
      const mapUrl = (url) => {
        const parsed = new URL(url, document.baseURI);
        return rewrite[parsed.origin + parsed.pathname] ?? url;
      };
      const loader = class extends window.Hls.DefaultConfig.loader {
        load(context, config, callbacks) {
          context.url = mapUrl(context.url);
          super.load(context, config, callbacks);
        }
      };
      hls = new window.Hls({ enableWorker: true, lowLatencyMode: false, loader });
      const parsed = new Promise((resolve, reject) => {
        hls.on(window.Hls.Events.MANIFEST_PARSED, () => resolve());
        hls.on(window.Hls.Events.ERROR, (_event, data) => {
          hlsErrors.push({
            type: data.type,
            details: data.details,
            fatal: data.fatal,
            url: data.url ?? null,
            // What hls.js said and where the playhead was: a failing test shows when and why, not only what.
            message: data.error?.message ?? null,
            currentTime: el.currentTime,
            paused: el.paused,
            // Seconds buffered ahead of the playhead when hls.js reported a stall (its `buffer`), else null.
            bufferAhead: typeof data.buffer === 'number' ? data.buffer : null,
          });
          if (data.fatal) reject(new Error(`hls.js fatal error: ${data.type} ${data.details}`));
        });
      });
      hls.loadSource(src);
      hls.attachMedia(el);
      await parsed;
      return startAndAdvance(el, minAdvance);
    },

    /**
     * DASH through dash.js (`engine` "dashjs") or Shaka Player ("shaka"), both on MSE. `rewrite` maps a request
     * URL without its query (origin + path) to the URL to fetch instead: the control uses it to send every request
     * the manifest implies (its relative BaseURLs and templates lose the manifest's query) as a presigned S3 URL.
     */
    async loadDash(src, engine, rewrite, minAdvance) {
      const el = createElement('video');
      dashErrors.length = 0;
      const mapUrl = (url) => {
        const parsed = new URL(url, document.baseURI);
        return rewrite[parsed.origin + parsed.pathname] ?? url;
      };
      if (engine === 'dashjs') {
        const player = window.dashjs.MediaPlayer().create();
        dash = { destroy: () => player.destroy() };
        player.addRequestInterceptor((request) => {
          request.url = mapUrl(request.url);
          return Promise.resolve(request);
        });
        player.on(window.dashjs.MediaPlayer.events.ERROR, (event) => {
          dashErrors.push({ code: event.error?.code ?? null, message: String(event.error?.message ?? '') });
        });
        player.initialize(el, src, false);
      } else if (engine === 'shaka') {
        window.shaka.polyfill.installAll();
        if (!window.shaka.Player.isBrowserSupported()) throw new Error('Shaka Player: browser not supported');
        const player = new window.shaka.Player();
        dash = { destroy: () => player.destroy() };
        player.addEventListener('error', (event) => {
          dashErrors.push({ code: event.detail?.code ?? null, message: String(event.detail?.message ?? '') });
        });
        await player.attach(el);
        player.getNetworkingEngine().registerRequestFilter((_type, request) => {
          request.uris = request.uris.map(mapUrl);
        });
        await player.load(src);
      } else {
        throw new Error(`unknown DASH engine ${engine}`);
      }
      await until(el, ['loadedmetadata'], () => el.readyState >= 1, 'metadata');
      return startAndAdvance(el, minAdvance);
    },

    dashErrors() {
      return dashErrors.slice();
    },

    /** Seek, wait for `seeked`, then wait until playback moves at least `minAdvance` seconds (or ends). */
    async seekAndAdvance(target, minAdvance) {
      const el = current;
      if (!el) throw new Error('no media element loaded');
      const seeking = until(el, ['seeked'], (event) => event.type === 'seeked', `seeked at ${target}`);
      el.currentTime = target;
      const afterSeek = await seeking;
      if (el.paused && !el.ended) await el.play();
      const advanced = await until(
        el,
        ['timeupdate', 'ended'],
        () => el.ended || el.currentTime >= afterSeek.currentTime + minAdvance,
        `playback to advance after seeking to ${target}`,
      );
      return { target, seekedAt: afterSeek.currentTime, advancedTo: advanced.currentTime, ended: advanced.ended };
    },

    state() {
      return current ? describe(current) : null;
    },

    hlsErrors() {
      return hlsErrors.slice();
    },

    /** A cross-origin fetch with a Range header: shows which response headers CORS exposes to scripts. */
    async fetchRange(url, range) {
      const response = await fetch(url, { headers: { Range: range }, mode: 'cors' });
      const body = new Uint8Array(await response.arrayBuffer());
      const headers = {};
      for (const name of ['content-range', 'content-length', 'accept-ranges', 'etag', 'content-type']) {
        headers[name] = response.headers.get(name);
      }
      return { status: response.status, headers, bytes: Array.from(body.subarray(0, 64)), byteLength: body.length };
    },
  };
})();
