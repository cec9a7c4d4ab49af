/**
 * The "generated playlists" table: per playlist, the S3 requests the handler logged (with the number
 * docs/hls-from-dash.md documents), the process CPU per warm request and its ratio to the stored playlist's;
 * then, in the same table, the bundle's cold start with a stored object and with a generated playlist as its
 * first request (nothing of the generator runs at import, so import should not differ).
 */
import type { ColdStartResult } from '../measure/cold-start.ts';
import type { PlaylistCost, PlaylistsSection } from './section.ts';

const ms = (x: number): string => `${x.toFixed(2)} ms`;

function s3Cell(c: PlaylistCost): string {
  const { min, max, lines } = c.s3Requests;
  if (lines === 0) return 'no log line';
  const logged = min === max ? `${min}` : `${min}–${max}`;
  if (c.documentedS3Requests === null) return logged;
  const agrees = min === max && min === c.documentedS3Requests;
  return `${logged} (documented ${c.documentedS3Requests}${agrees ? '' : ', DIFFERS'})`;
}

export function playlistsTable(section: PlaylistsSection, referenceKey: string): string[] {
  const reference = section.costs.find((c) => c.key === referenceKey);
  const lines = [
    '| playlist | size | S3 requests per request (log) | CPU per warm request | vs the stored playlist |',
    '|---|---|---|---|---|',
  ];
  for (const c of section.costs) {
    const vs =
      reference === undefined || reference.cpuMsPerRequest <= 0
        ? '—'
        : `${(c.cpuMsPerRequest / reference.cpuMsPerRequest).toFixed(2)}×`;
    lines.push(`| ${c.label} \`${c.key}\` | ${c.bytes} B | ${s3Cell(c)} | ${ms(c.cpuMsPerRequest)} | ${vs} |`);
  }
  const stored = section.coldStart[0];
  for (const r of section.coldStart) {
    lines.push(
      `| cold start, bundle alone, ${r.label} (median of ${r.runs.length}) | — | — | import ${ms(r.medianImportMs)}, first response ${ms(r.medianFirstResponseMs)}, CPU ${ms(r.medianCpuMs)} | ${coldVs(r, stored)} |`,
    );
  }
  return lines;
}

function coldVs(r: ColdStartResult, stored: ColdStartResult | undefined): string {
  if (stored === undefined || r === stored) return '—';
  const d = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)} ms`;
  return `import ${d(r.medianImportMs - stored.medianImportMs)}, first response ${d(r.medianFirstResponseMs - stored.medianFirstResponseMs)}, CPU ${d(r.medianCpuMs - stored.medianCpuMs)}`;
}
