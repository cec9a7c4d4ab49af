/**
 * A directory of fake executables for the requirement tests: a PATH that has exactly the tools a test wants,
 * each a tiny /bin/sh script, so detection is tested against files that exist (or do not) rather than mocks.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeBin {
  readonly dir: string;
  /** Adds `name` running `body` under /bin/sh; `executable: false` leaves it without the x bit. */
  add(name: string, body?: string, options?: { readonly executable?: boolean }): string;
  remove(): void;
}

export function fakeBin(): FakeBin {
  const dir = mkdtempSync(join(tmpdir(), 'media-origin-fake-bin-'));
  return {
    dir,
    add(name, body = 'exit 0', options = {}) {
      const file = join(dir, name);
      writeFileSync(file, `#!/bin/sh\n${body}\n`);
      chmodSync(file, options.executable === false ? 0o644 : 0o755);
      return file;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
