/**
 * WebKitGTK's MiniBrowser driven over W3C WebDriver (WebKitWebDriver, Debian's webkit2gtk-driver) under Xvfb.
 * puppeteer-core cannot drive WebKitGTK, so this is a tiny WebDriver client over fetch: new session, navigate,
 * execute an async script, delete the session. `xvfb-run -a` picks a free display; the driver runs in its own
 * process group, which close() ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../local/net.ts';
import { MINIBROWSER, toolPath, WEBKIT_WEBDRIVER, XVFB_RUN } from '../../support/tools/requirements.ts';
import type { PageDriver } from './page-driver.ts';

export interface WebKitSession extends PageDriver {
  navigate(url: string): Promise<void>;
  close(): Promise<void>;
}

export interface WebKitDriver {
  newSession(): Promise<WebKitSession>;
  close(): Promise<void>;
}

/** A guard above the driver's own script timeout (90 s), for every command but a new session. */
const COMMAND_GUARD_MS = 100_000;
/**
 * A new session launches MiniBrowser and waits for it to connect: about a second, a few under load. If MiniBrowser
 * dies before it connects (it cannot open the display, say), WebKitWebDriver waits forever; 30 s is plenty.
 */
const NEW_SESSION_GUARD_MS = 30_000;

/**
 * Xvfb as xvfb-run starts it, plus `-noreset`. By default the X server resets when its last client disconnects,
 * and a client that connects during the reset fails to open the display
 * (https://gitlab.freedesktop.org/xorg/xserver/-/issues/1102, https://github.com/openscad/openscad/pull/3037).
 * Here the last client is the previous session's MiniBrowser, closing just as the next one starts: that one
 * printed "cannot open display" and exited, and the driver never answered the new session (once in about 80
 * sessions under CI load). Four loops of short X clients against one Xvfb here: 15 of 600 failed to open the
 * display with the reset, 0 of 600 with `-noreset`.
 */
const XVFB_SERVER_ARGS = '-screen 0 1280x1024x24 -noreset';

interface WireResult {
  readonly value: unknown;
}

export async function startWebKitDriver(): Promise<WebKitDriver> {
  const port = await freePort('127.0.0.1');
  // The driver's output (and the MiniBrowsers' it launches) goes to a file, quoted when a command gets no answer.
  const logDir = mkdtempSync(join(tmpdir(), 'webkitgtk-'));
  const logPath = join(logDir, 'webdriver.log');
  const log = openSync(logPath, 'w');
  const child: ChildProcess = spawn(
    toolPath(XVFB_RUN),
    ['-a', '-s', XVFB_SERVER_ARGS, toolPath(WEBKIT_WEBDRIVER), `--port=${port}`],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const logTail = (): string => {
    try {
      return readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n').trim() || '(nothing)';
    } catch {
      return '(no log)';
    }
  };
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown, guardMs = COMMAND_GUARD_MS): Promise<unknown> => {
    // A browser that stops answering fails the test with the command it hung on and what the driver printed,
    // instead of running into jest's test timeout with no clue.
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(guardMs),
    }).catch((error: unknown) => {
      throw new Error(`WebDriver ${method} ${path} got no answer; the driver's output:\n${logTail()}`, {
        cause: error,
      });
    });
    const json = (await response.json()) as WireResult;
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  };
  // The driver needs a moment to listen (Xvfb starts first).
  for (let attempt = 0; ; attempt += 1) {
    try {
      await call('GET', '/status');
      break;
    } catch (error) {
      if (attempt > 100) throw new Error('WebKitWebDriver did not start', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    async newSession() {
      const created = (await call(
        'POST',
        '/session',
        {
          capabilities: {
            alwaysMatch: { 'webkitgtk:browserOptions': { binary: toolPath(MINIBROWSER), args: ['--automation'] } },
          },
        },
        NEW_SESSION_GUARD_MS,
      )) as { sessionId: string };
      const session = `/session/${created.sessionId}`;
      await call('POST', `${session}/timeouts`, { script: 90_000 });
      return {
        async navigate(url) {
          await call('POST', `${session}/url`, { url });
        },
        async evaluate<T>(expression: string) {
          const script =
            'const done = arguments[arguments.length - 1];' +
            `Promise.resolve().then(() => ${expression})` +
            '.then((value) => done({ ok: true, value }), (error) => done({ ok: false, error: String(error) }));';
          const result = (await call('POST', `${session}/execute/async`, { script, args: [] })) as {
            ok: boolean;
            value?: T;
            error?: string;
          };
          if (!result.ok) throw new Error(result.error);
          return result.value as T;
        },
        async close() {
          await call('DELETE', session).catch(() => undefined);
        },
      };
    },
    async close() {
      if (child.pid !== undefined) {
        try {
          // The whole group: xvfb-run, Xvfb, the driver and every MiniBrowser it launched.
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
