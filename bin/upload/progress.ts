/**
 * A small progress bar on stderr (stdout stays clean for the summary). On a terminal one line is redrawn with
 * "\r"; in a pipe or CI log only the finished line is printed, so logs are not flooded with redraws.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** `[#########...........]  45%  12.3 MiB / 27.0 MiB  name` - pure, for the tests and the redraw. */
export function renderProgress(label: string, done: number, total: number, width = 24): string {
  const ratio = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.floor(ratio * width);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}  ${formatBytes(done)} / ${formatBytes(total)}  ${label}`;
}

export interface ProgressSink {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export class ProgressBar {
  readonly #sink: ProgressSink;
  readonly #label: string;
  readonly #total: number;
  #lastLength = 0;

  constructor(sink: ProgressSink, label: string, total: number) {
    this.#sink = sink;
    this.#label = label;
    this.#total = total;
  }

  update(done: number): void {
    if (this.#sink.isTTY !== true) return;
    this.#draw(renderProgress(this.#label, done, this.#total));
  }

  finish(suffix: string): void {
    const line = `${renderProgress(this.#label, this.#total, this.#total)}  ${suffix}`;
    if (this.#sink.isTTY === true) this.#draw(line);
    else this.#sink.write(line);
    this.#sink.write('\n');
  }

  #draw(line: string): void {
    // Pad over the previous, possibly longer, line instead of relying on terminal escape codes.
    this.#sink.write(`\r${line.padEnd(this.#lastLength)}`);
    this.#lastLength = line.length;
  }
}
