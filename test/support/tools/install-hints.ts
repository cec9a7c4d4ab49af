/**
 * The words a person reads when a suite could not run: what is missing, why, and the commands that install it
 * on Debian/Ubuntu and on macOS. Pure functions over the requirement list, shared by a suite's own message and
 * by the closing summary (which merges the hints of every skipped suite into one install line per system).
 */
import type { InstallHint, Requirement } from './requirements.ts';

export interface MissingTool {
  readonly name: string;
  readonly reason: string;
  readonly install: InstallHint;
}

export function missingTool(requirement: Requirement, reason: string): MissingTool {
  return { name: requirement.name, reason, install: requirement.install };
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** One apt-get line (and any step after it) for all of `missing`. */
export function debianInstall(missing: readonly MissingTool[]): string {
  const packages = unique(missing.flatMap((tool) => tool.install.debian.packages));
  const then = unique(
    missing.flatMap((tool) => (tool.install.debian.after === undefined ? [] : [tool.install.debian.after])),
  );
  return [`sudo apt-get install --no-install-recommends ${packages.join(' ')}`, ...then].join(' && ');
}

/** The Homebrew commands for all of `missing`, then what cannot be had on macOS at all. */
export function macosInstall(missing: readonly MissingTool[]): string {
  const brew: string[] = [];
  const cask: string[] = [];
  const notes: string[] = [];
  for (const { install } of missing) {
    const mac = install.macos;
    if ('unavailable' in mac) {
      notes.push(mac.unavailable);
      continue;
    }
    brew.push(...(mac.brew ?? []));
    cask.push(...(mac.cask ?? []));
    if (mac.after !== undefined) notes.push(mac.after);
  }
  const commands = [
    ...(brew.length > 0 ? [`brew install ${unique(brew).join(' ')}`] : []),
    ...(cask.length > 0 ? [`brew install --cask ${unique(cask).join(' ')}`] : []),
  ];
  return [commands.join(' && '), ...unique(notes)].filter((part) => part !== '').join('; ');
}

/**
 * One line per reason: tools missing for the same reason (every GStreamer element when gst-inspect-1.0 itself is
 * missing) share a line.
 */
export function missingLines(missing: readonly MissingTool[], indent: string): string[] {
  const byReason = new Map<string, string[]>();
  for (const tool of missing) byReason.set(tool.reason, [...(byReason.get(tool.reason) ?? []), tool.name]);
  return [...byReason].map(([reason, names]) => `${indent}missing ${names.join(', ')}: ${reason}`);
}

export type Outcome = 'skipped' | 'failed';

/**
 * The multi-line message of a suite that cannot run: printed when it is skipped, thrown when CI=true fails it.
 * `suite` is the test file's path from the repository root, or a script name.
 */
export function missingMessage(suite: string, outcome: Outcome, missing: readonly MissingTool[]): string {
  const head =
    outcome === 'skipped'
      ? `SKIPPED ${suite}: it needs tools this machine does not have (CI=true makes this a failure).`
      : `FAILED ${suite}: it needs tools this machine does not have, and CI=true makes that a failure.`;
  return [
    head,
    ...missingLines(missing, '  '),
    `  install on Debian/Ubuntu: ${debianInstall(missing)}`,
    `  install on macOS: ${macosInstall(missing)}`,
  ].join('\n');
}
