/** The machine a run happened on: numbers from different machines are not comparable. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly kernel: string;
  readonly loadAverage: readonly number[];
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    node: process.version,
    kernel: `${process.platform} ${release()}`,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** CPU time (clock ticks) used by the whole machine and by this process plus its reaped children. */
export interface CpuSnapshot {
  readonly at: number;
  readonly machineBusy: number;
  readonly machineTotal: number;
  readonly own: number;
}

export function cpuSnapshot(): CpuSnapshot {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  // /proc/self/stat: comm may contain spaces; fields after ")" start at state (field 3).
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const after = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const own = (after[11] ?? 0) + (after[12] ?? 0) + (after[13] ?? 0) + (after[14] ?? 0);
  return { at: Date.now(), machineBusy: total - idle, machineTotal: total, own };
}

/**
 * Share of the machine's CPU used by processes that are NOT this benchmark between two snapshots (the
 * children must have exited and been reaped by `to`). Other work on a 2-core machine skews every number.
 */
export function foreignCpuShare(from: CpuSnapshot, to: CpuSnapshot): number {
  const total = to.machineTotal - from.machineTotal;
  if (total <= 0) return 0;
  const foreign = to.machineBusy - from.machineBusy - (to.own - from.own);
  return Math.max(0, foreign / total);
}
