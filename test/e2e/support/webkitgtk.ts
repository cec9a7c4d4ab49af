/**
 * WebKitGTK's MiniBrowser driven over W3C WebDriver (WebKitWebDriver, Debian's webkit2gtk-driver) under Xvfb.
 * puppeteer-core cannot drive WebKitGTK, so this is a tiny WebDriver client over fetch: new session, navigate,
 * execute an async script, delete the session. `xvfb-run -a` picks a free display; the driver runs in its own
 * process group, which close() ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

const COMMAND_GUARD_MS = 100_000;

interface WireResult {
  readonly value: unknown;
}

export async function startWebKitDriver(): Promise<WebKitDriver> {
  const port = await freePort();
  const child: ChildProcess = spawn(toolPath(XVFB_RUN), ['-a', toolPath(WEBKIT_WEBDRIVER), `--port=${port}`], {
    detached: true,
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    // A guard above the driver's own script timeout (90 s): a browser that stops answering fails the test with
    // the command it hung on, instead of running into jest's test timeout with no clue.
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(COMMAND_GUARD_MS),
    }).catch((error: unknown) => {
      throw new Error(`WebDriver ${method} ${path} got no answer`, { cause: error });
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
      const created = (await call('POST', '/session', {
        capabilities: {
          alwaysMatch: { 'webkitgtk:browserOptions': { binary: toolPath(MINIBROWSER), args: ['--automation'] } },
        },
      })) as { sessionId: string };
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
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    },
  };
}
