// Records every XHR and fetch the page's players make (dash.js loads with XHR, Shaka with fetch): the URL asked
// and the one answered (a redirect shows), the Range header sent, the status, Content-Range and Content-Type
// as CORS exposes them, and the body's length and SHA-256, so the suites can check in any browser that each
// range was answered with exactly the bytes asked. Loaded before the players, which keep references to fetch.

(() => {
  const records = [];
  const pending = new Set();

  async function describeBody(body) {
    if (body === null || body === undefined) return { byteLength: null, sha256: null };
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return {
      byteLength: bytes.byteLength,
      sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
    };
  }

  function track(promise) {
    pending.add(promise);
    promise.finally(() => pending.delete(promise));
  }

  const open = XMLHttpRequest.prototype.open;
  const setRequestHeader = XMLHttpRequest.prototype.setRequestHeader;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.e2eRecord = { api: 'xhr', method: String(method), url: new URL(url, document.baseURI).href, range: null };
    if (!this.e2eWatched) {
      this.e2eWatched = true;
      // Registered here, before the player sets `onreadystatechange` (players set it after open()), so this
      // listener runs first: hls.js hands a fragment's ArrayBuffer to its transmuxer worker as a transferable,
      // which detaches it, inside its own readystatechange handler.
      this.addEventListener('readystatechange', () => {
        if (this.readyState >= 2 && this.e2eHead === null && this.status !== 0) {
          this.e2eHead = {
            responseUrl: this.responseURL || null,
            status: this.status,
            contentRange: this.getResponseHeader('content-range'),
            contentType: this.getResponseHeader('content-type'),
          };
        }
        if (this.readyState === 4 && this.status !== 0) {
          const type = this.responseType;
          if (type === '' || type === 'text') this.e2eBody = this.responseText;
          else if (type === 'arraybuffer' && this.response) this.e2eBody = this.response.slice(0);
        }
      });
    }
    // Status and headers as soon as they arrive: an abort (a seek) after that resets `status` to 0.
    this.e2eHead = null;
    this.e2eBody = null;
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.setRequestHeader = function (name, value) {
    if (this.e2eRecord && String(name).toLowerCase() === 'range') this.e2eRecord.range = String(value);
    return setRequestHeader.call(this, name, value);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    const record = this.e2eRecord;
    if (record) {
      this.addEventListener(
        'loadend',
        () => {
          const finished = this.readyState === 4 && this.status !== 0;
          // Aborted before any answer arrived: nothing was answered, so there is nothing to check.
          const answer = this.e2eHead ?? { responseUrl: null, status: null, contentRange: null, contentType: null };
          track(
            describeBody(finished ? this.e2eBody : null).then(
              (described) => records.push({ ...record, ...answer, complete: finished, ...described }),
              // A body that could not be read is still a record: its missing hash fails the exactness check.
              () => records.push({ ...record, ...answer, complete: finished, byteLength: null, sha256: null }),
            ),
          );
        },
        { once: true },
      );
    }
    return send.apply(this, args);
  };

  const originalFetch = window.fetch;
  window.fetch = async function (input, init) {
    const request = new Request(input, init);
    const record = { api: 'fetch', method: request.method, url: request.url, range: request.headers.get('range') };
    const response = await originalFetch.call(this, input, init);
    const copy = response.clone();
    track(
      copy.arrayBuffer().then(
        async (body) => {
          records.push({
            ...record,
            responseUrl: response.url || null,
            status: response.status,
            complete: true,
            contentRange: response.headers.get('content-range'),
            contentType: response.headers.get('content-type'),
            ...(await describeBody(body)),
          });
        },
        () => {
          // Aborted by the player (a seek): the status and headers arrived, the body did not.
          records.push({
            ...record,
            responseUrl: response.url || null,
            status: response.status,
            complete: false,
            contentRange: response.headers.get('content-range'),
            contentType: response.headers.get('content-type'),
            byteLength: null,
            sha256: null,
          });
        },
      ),
    );
    return response;
  };

  window.e2eRequests = {
    /** Every request recorded so far, once the bodies of those still being read are in. */
    async settle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      return records.slice();
    },
    clear() {
      records.length = 0;
    },
  };
})();
