/**
 * The generated-playlists table of `npm run bench` (bench/playlists/report.ts): the logged S3 requests are set
 * against the documented ones, CPU against the stored playlist's, and the cold starts sit in the same table.
 */
import type { ColdStartResult } from '../../../bench/measure/cold-start.ts';
import { playlistsTable } from '../../../bench/playlists/report.ts';
import type { PlaylistCost, PlaylistsSection } from '../../../bench/playlists/section.ts';

const cost = (key: string, cpuMsPerRequest: number, logged: [number, number], documented: number | null) =>
  ({
    label: key,
    key,
    bytes: 300,
    requests: 300,
    cpuMsPerRequest,
    s3Requests: { min: logged[0], max: logged[1], lines: 300 },
    documentedS3Requests: documented,
  }) satisfies PlaylistCost;

const coldStart = (label: string, importMs: number, firstResponseMs: number, cpuMs: number): ColdStartResult =>
  ({
    label,
    runs: [{}, {}, {}],
    medianImportMs: importMs,
    medianFirstResponseMs: firstResponseMs,
    medianCpuMs: cpuMs,
  }) as unknown as ColdStartResult;

function rowOf(lines: readonly string[], key: string): string[] {
  const line = lines.find((l) => l.includes(key));
  if (line === undefined) throw new Error(`no row for ${key}`);
  return line.split('|').map((cell) => cell.trim());
}

describe('playlistsTable', () => {
  test('sets each playlist against the stored one and flags S3 requests that differ from the documented ones', () => {
    // Prepare
    const section: PlaylistsSection = {
      costs: [
        cost('a.mpd.m3u8', 6, [2, 2], 2),
        cost('a.mpd.0.m3u8', 9, [3, 4], 3),
        cost('b.mp4.m3u8', 3, [3, 3], 2),
        cost('stored.m3u8', 1.5, [1, 1], null),
      ],
      coldStart: [],
    };

    // Act
    const lines = playlistsTable(section, 'stored.m3u8');

    // Assess
    expect(rowOf(lines, 'a.mpd.m3u8').slice(3, 6)).toEqual(['2 (documented 2)', '6.00 ms', '4.00×']);
    expect(rowOf(lines, 'a.mpd.0.m3u8').slice(3, 6)).toEqual(['3–4 (documented 3, DIFFERS)', '9.00 ms', '6.00×']);
    expect(rowOf(lines, 'b.mp4.m3u8')[3]).toBe('3 (documented 2, DIFFERS)');
    expect(rowOf(lines, 'stored.m3u8').slice(3, 6)).toEqual(['1', '1.50 ms', '1.00×']);
  });

  test('prints the cold starts in the same table, the generated one as a difference from the stored one', () => {
    // Prepare
    const section: PlaylistsSection = {
      costs: [cost('stored.m3u8', 2, [1, 1], null)],
      coldStart: [coldStart('first: stored', 200, 80, 250), coldStart('first: generated', 205, 92.5, 249)],
    };

    // Act
    const lines = playlistsTable(section, 'stored.m3u8');

    // Assess
    const generated = rowOf(lines, 'first: generated');
    expect(generated[4]).toBe('import 205.00 ms, first response 92.50 ms, CPU 249.00 ms');
    expect(generated[5]).toBe('import +5.00 ms, first response +12.50 ms, CPU −1.00 ms');
    expect(rowOf(lines, 'first: stored')[5]).toBe('—');
  });
});
