/**
 * Resident memory of a process (and any processes it spawned), from /proc (Linux). VmRSS is sampled
 * periodically; VmHWM (the kernel's own high-water mark) is reset through /proc/<pid>/clear_refs before a
 * measurement window ("5" resets the peak, Documentation/filesystems/proc.rst), so a peak between two samples
 * is not missed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface MemoryReading {
  /** Current resident set, bytes. */
  readonly rss: number;
  /** Peak resident set since start or since the last reset, bytes. */
  readonly hwm: number;
}

function kib(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`no ${field} in /proc status`);
  return Number(match[1]) * 1024;
}

/** pid and all its descendants (a local stack that runs the handler in a child process is counted whole). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    const current = pids[i];
    if (current === undefined) continue;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${current}/task`);
    } catch {
      continue; // exited meanwhile
    }
    for (const task of tasks) {
      try {
        const children = readFileSync(`/proc/${current}/task/${task}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      } catch {
        // task exited meanwhile
      }
    }
  }
  return pids;
}

/** `scope`: the process and its descendants (default), or the process alone. */
export type MemoryScope = 'tree' | 'process';

function members(pid: number, scope: MemoryScope): number[] {
  return scope === 'tree' ? processTree(pid) : [pid];
}

export function readMemory(pid: number, scope: MemoryScope = 'tree'): MemoryReading {
  let rss = 0;
  let hwm = 0;
  for (const member of members(pid, scope)) {
    try {
      const status = readFileSync(`/proc/${member}/status`, 'utf8');
      rss += kib(status, 'VmRSS');
      hwm += kib(status, 'VmHWM');
    } catch (error) {
      if (member === pid) throw new Error(`cannot read memory of process ${pid}`, { cause: error });
    }
  }
  return { rss, hwm };
}

/** Reset the kernel's peak-RSS mark; false when the kernel refuses (then only sampling counts). */
export function resetPeak(pid: number, scope: MemoryScope = 'tree'): boolean {
  let ok = true;
  for (const member of members(pid, scope)) {
    try {
      writeFileSync(`/proc/${member}/clear_refs`, '5');
    } catch {
      ok = false;
    }
  }
  return ok;
}

export interface RssWindow {
  /** Peak so far (sampling and VmHWM), without stopping. */
  peakSoFar(): number;
  /** Stop sampling; returns the peak seen by sampling and by the kernel's high-water mark. */
  stop(): { readonly sampledPeak: number; readonly hwmPeak: number | null; readonly samples: number };
}

/** Sample VmRSS every `intervalMs` from now until stop(). */
export function watchRss(pid: number, intervalMs: number, scope: MemoryScope = 'tree'): RssWindow {
  const hwmReset = resetPeak(pid, scope);
  let sampledPeak = readMemory(pid, scope).rss;
  let samples = 1;
  const timer = setInterval(() => {
    try {
      sampledPeak = Math.max(sampledPeak, readMemory(pid, scope).rss);
      samples++;
    } catch {
      // process gone: the measurement using this window fails on its own
    }
  }, intervalMs);
  return {
    peakSoFar() {
      const now = readMemory(pid, scope);
      return Math.max(sampledPeak, now.rss, hwmReset ? now.hwm : 0);
    },
    stop() {
      clearInterval(timer);
      const last = readMemory(pid, scope);
      sampledPeak = Math.max(sampledPeak, last.rss);
      return { sampledPeak, hwmPeak: hwmReset ? last.hwm : null, samples: samples + 1 };
    },
  };
}
