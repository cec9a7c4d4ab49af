/**
 * WebKitGTK's MiniBrowser driven over W3C WebDriver (WebKitWebDriver, Debian's webkit2gtk-driver) under Xvfb.
 * puppeteer-core cannot drive WebKitGTK, so this is a tiny WebDriver client over fetch: new session, navigate,
 * execute an async script, delete the session. `xvfb-run -a` picks a free display; the driver runs in its own
 * process group, which close() ends. A new session the driver never answers restarts the driver once (below).
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
 * A new session launches MiniBrowser and waits for it to connect; it takes about a second, a few under load. Now
 * and then (once in the 80 sessions of eight suite runs beside another player suite here) WebKitWebDriver never
 * answers it, before any page is loaded.
 */
const NEW_SESSION_GUARD_MS = 30_000;

interface WireResult {
  readonly value: unknown;
}

class NoAnswerError extends Error {}

/** One WebKitWebDriver under its own Xvfb display, its output kept in a file for the error messages. */
interface DriverProcess {
  call(method: string, path: string, body?: unknown, guardMs?: number): Promise<unknown>;
  /** The last lines the driver (and the MiniBrowsers it launched) wrote. */
  logTail(): string;
  stop(): void;
}

async function launchDriver(logDir: string, generation: number): Promise<DriverProcess> {
  const port = await freePort('127.0.0.1');
  const logPath = join(logDir, `webdriver-${generation}.log`);
  const log = openSync(logPath, 'w');
  const child: ChildProcess = spawn(toolPath(XVFB_RUN), ['-a', toolPath(WEBKIT_WEBDRIVER), `--port=${port}`], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown, guardMs = COMMAND_GUARD_MS): Promise<unknown> => {
    // A browser that stops answering fails the test with the command it hung on, instead of running into jest's
    // test timeout with no clue.
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(guardMs),
    }).catch((error: unknown) => {
      throw new NoAnswerError(`WebDriver ${method} ${path} got no answer`, { cause: error });
    });
    const json = (await response.json()) as WireResult;
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  };
  const logTail = (): string => {
    try {
      return readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n').trim() || '(nothing)';
    } catch {
      return '(no log)';
    }
  };
  const stop = (): void => {
    if (child.pid === undefined) return;
    try {
      // The whole group: xvfb-run, Xvfb, the driver and every MiniBrowser it launched.
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  // The driver needs a moment to listen (Xvfb starts first).
  for (let attempt = 0; ; attempt += 1) {
    try {
      await call('GET', '/status');
      return { call, logTail, stop };
    } catch (error) {
      if (attempt > 100) {
        stop();
        throw new Error(`WebKitWebDriver did not start; its output:\n${logTail()}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const NEW_SESSION = {
  capabilities: {
    alwaysMatch: { 'webkitgtk:browserOptions': { binary: toolPath(MINIBROWSER), args: ['--automation'] } },
  },
};

export async function startWebKitDriver(): Promise<WebKitDriver> {
  const logDir = mkdtempSync(join(tmpdir(), 'webkitgtk-'));
  let generation = 0;
  let driver = await launchDriver(logDir, generation);

  const requestSession = async (): Promise<{ sessionId: string }> =>
    (await driver.call('POST', '/session', NEW_SESSION, NEW_SESSION_GUARD_MS)) as { sessionId: string };

  const createSession = async (): Promise<{ sessionId: string }> => {
    try {
      return await requestSession();
    } catch (error) {
      if (!(error instanceof NoAnswerError)) throw error;
      // A hung new session is the driver's, not the page's: nothing has been loaded yet. WebKit's own WebDriver
      // test runner restarts the driver when a command hangs (https://github.com/WebKit/WebKit/pull/73421); so
      // does this, once, and says so. A second hang fails the test.
      process.stderr.write(
        `WebKitWebDriver did not answer a new session within ${NEW_SESSION_GUARD_MS / 1000} s; restarting it ` +
          `once. Its output:\n${driver.logTail()}\n`,
      );
      driver.stop();
      generation += 1;
      driver = await launchDriver(logDir, generation);
      return await requestSession().catch((again: unknown) => {
        throw new Error(`a restarted WebKitWebDriver hung on a new session too; its output:\n${driver.logTail()}`, {
          cause: again,
        });
      });
    }
  };

  return {
    async newSession() {
      const created = await createSession();
      const { call } = driver;
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
      driver.stop();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
