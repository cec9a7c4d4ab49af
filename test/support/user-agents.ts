/**
 * Real User-Agent strings, for the tests of the open-range cap (lambda/http/follows-short-ranges.ts): the cap
 * applies to clients known to follow a short 206 (browsers, AVFoundation) and to nobody else.
 */

/** Clients that read on after a short 206 answering their `bytes=N-`: capped. */
export const FOLLOWING_USER_AGENTS = {
  chrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  safari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  iosAppleCoreMedia: 'AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; en_us)',
} as const;

/** Clients that take the end of a short 206 as the end of the file, or are not known to follow: not capped. */
export const NON_FOLLOWING_USER_AGENTS = {
  ffmpeg: 'Lavf/59.27.100',
  vlc: 'VLC/3.0.18 LibVLC/3.0.18',
  curl: 'curl/7.88.1',
  exoPlayer: 'ExoPlayerLib/2.19.1',
  /** What the origin sees behind CloudFront unless the viewer's User-Agent is forwarded. */
  cloudFront: 'Amazon CloudFront',
  /** WebKitGTK's MiniBrowser 2.50 (GStreamer underneath: a short 206 is the end of its stream). */
  webKitGtk: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15',
  /** WPE WebKit (embedded devices; GStreamer too). */
  wpe: 'Mozilla/5.0 (Linux; x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15 WPE',
  /** Node's fetch (undici). */
  nodeFetch: 'node',
} as const;

/** The User-Agent a browser test sends when it wants the capped answer. */
export const BROWSER_USER_AGENT = FOLLOWING_USER_AGENTS.chrome;
