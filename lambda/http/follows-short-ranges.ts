/**
 * Whether the client behind a User-Agent is KNOWN to read on after a 206 that answers its open-ended
 * `bytes=N-` with fewer bytes than it asked for (the Content-Range tells the truth: `bytes N-M/size`).
 *
 * RFC 9110 15.3.7 allows such a subset ("a server might want to send only a subset of the data requested";
 * the 206 is self-descriptive), but nothing obliges a client to come back for the rest, and many do not:
 * - Chrome, Firefox and Safari (every one sends the `Mozilla/` token) ask for the rest with a further request
 *   (docs/players.md; Chromium in test/e2e/chromium-playback.test.ts). AVFoundation/AVPlayer
 *   (`AppleCoreMedia/`) reads with explicit ranges after its `bytes=0-1` probe and follows Content-Range
 *   (test/e2e/avfoundation-replay.test.ts replays it; no Apple device here). hls.js and dash.js run inside
 *   browsers.
 * - ffmpeg/ffprobe/mpv (libavformat, `Lavf/`) take the end of the short 206 as the end of the FILE: they log
 *   "partial file", exit 0 and silently decode only the first OPEN_RANGE_CAP_BYTES (found by
 *   test/e2e/ffmpeg.test.ts; `-reconnect_at_eof` does not help). VLC, ExoPlayer, `curl -C -`, wget and
 *   unknown tools are assumed to behave the same until shown otherwise.
 * A wrong "yes" silently truncates media, a wrong "no" only costs a longer stream (still bounded by the
 * response budget): so the cap is an optimisation for an allowlist, and everyone else (no User-Agent,
 * `Amazon CloudFront` when CloudFront does not forward the viewer's User-Agent, tools) gets the RFC-exact
 * remainder. A UA that also names a known non-follower (an app giving ExoPlayer or libVLC a browser-like UA)
 * is not trusted.
 *
 * No `Vary: User-Agent` is needed: a short 206 is a truthful part of the same representation, and a cache may
 * only reuse a stored part for a request whose range lies wholly inside it (RFC 9111 3.3, 3.4).
 */
export function followsShortRanges(userAgent: string | undefined): boolean {
  if (userAgent === undefined) return false;
  return (
    FOLLOWERS.some((token) => userAgent.includes(token)) &&
    !NON_FOLLOWERS.test(userAgent) &&
    !isGStreamerWebKit(userAgent)
  );
}

/**
 * WebKitGTK and WPE WebKit (MiniBrowser, GNOME Web, embedded WPE devices) play media through GStreamer, whose
 * WebKit source takes the end of a short 206 as the end of the stream ("Reached the end of the response,
 * signalling EOS" in webkitwebsrc's log; seeks stalled or failed with MEDIA_ERR_SRC_NOT_SUPPORTED).
 * Their User-Agent is Safari's on a non-Apple platform: `AppleWebKit/` with `X11`, `Linux` or `WPE`, and
 * neither a Chromium token (Chrome, Edge, Android WebView send `Chrome/`) nor Android.
 */
function isGStreamerWebKit(userAgent: string): boolean {
  return (
    userAgent.includes('AppleWebKit/') &&
    /\b(X11|Linux|WPE)\b/.test(userAgent) &&
    !/Chrome\/|Chromium\/|HeadlessChrome\/|Android/.test(userAgent)
  );
}

/** Product tokens of clients seen following a short 206 (case-sensitive, as every one of them sends them). */
const FOLLOWERS = ['Mozilla/', 'AppleCoreMedia/'] as const;

/** Players and tools that stop at the end of a short 206, even when an app adds browser tokens to their UA. */
const NON_FOLLOWERS = /Lavf\/|LibVLC|VLC\/|ExoPlayer|AndroidXMedia3|stagefright|curl\/|Wget\//i;
