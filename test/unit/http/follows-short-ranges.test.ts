import { followsShortRanges } from '../../../lambda/http/follows-short-ranges.ts';
import { FOLLOWING_USER_AGENTS, NON_FOLLOWING_USER_AGENTS } from '../../support/user-agents.ts';

describe('followsShortRanges', () => {
  test.each(Object.entries(FOLLOWING_USER_AGENTS))('%s follows a short 206: %s', (_name, userAgent) => {
    // Prepare: the User-Agent above
    // Act
    const follows = followsShortRanges(userAgent);
    // Assess
    expect(follows).toBe(true);
  });

  test.each(Object.entries(NON_FOLLOWING_USER_AGENTS))('%s is not known to follow: %s', (_name, userAgent) => {
    // Prepare: the User-Agent above
    // Act
    const follows = followsShortRanges(userAgent);
    // Assess
    expect(follows).toBe(false);
  });

  test.each<[string, string | undefined, boolean]>([
    ['no User-Agent', undefined, false],
    ['empty User-Agent', '', false],
    ['headless Chromium (what the e2e tests drive)', 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0.0.0', true],
    ['ffprobe and mpv use libavformat', 'Lavf/60.16.100', false],
    ['wget', 'Wget/1.21.3', false],
    ['Android MediaPlayer', 'stagefright/1.2 (Linux;Android 13)', false],
    ['Media3 ExoPlayer default', 'AndroidXMedia3/1.1.1', false],
    [
      'an app giving ExoPlayer a browser-like UA is not trusted',
      'Mozilla/5.0 (Linux; Android 13) MyApp/1.0 ExoPlayerLib/2.19.1',
      false,
    ],
    ['an app giving libVLC a browser-like UA is not trusted', 'Mozilla/5.0 LibVLC/3.0.18', false],
    ['the token is case-sensitive, as browsers send it', 'mozilla/5.0', false],
    ['the token must carry its slash', 'Mozilla', false],
    [
      'Chrome on Linux is not WebKitGTK (it sends AppleWebKit too)',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      true,
    ],
    [
      'Android WebView is Chromium',
      'Mozilla/5.0 (Linux; Android 14; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0 Mobile Safari/537.36',
      true,
    ],
    [
      'Safari on iOS follows',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      true,
    ],
    [
      'GNOME Web (Epiphany) is WebKitGTK',
      'Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
      false,
    ],
  ])('%s', (_name, userAgent, expected) => {
    // Prepare: the User-Agent above
    // Act
    const follows = followsShortRanges(userAgent);
    // Assess
    expect(follows).toBe(expected);
  });
});
