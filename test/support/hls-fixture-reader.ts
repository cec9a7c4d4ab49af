/**
 * A SourceReader over files on disk (the repository's media/ samples, or bytes a test supplies), so the
 * generator can be exercised without S3. It honours ranges and the size cap exactly as the S3 reader does and
 * counts the reads.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceReader } from '../../lambda/hls/generate-playlist.ts';
import { UnplayableSourceError, unplayable } from '../../lambda/hls/unplayable-source.ts';

export const MEDIA_ROOT = path.resolve(import.meta.dirname, '../../media');

export interface CountingReader extends SourceReader {
  readonly reads: Array<{ key: string; start: number; end: number | undefined }>;
}

/** Keys are paths under `root` (e.g. `dash/on-demand/manifest.mpd`); `files` overrides or adds objects. */
export function fixtureReader(files: Readonly<Record<string, Uint8Array>> = {}, root = MEDIA_ROOT): CountingReader {
  const reads: CountingReader['reads'] = [];
  const load = (key: string): Uint8Array => {
    const given = files[key];
    if (given !== undefined) return given;
    try {
      return readFileSync(path.join(root, key));
    } catch {
      throw new UnplayableSourceError(404, 'the source this playlist is generated from does not exist');
    }
  };
  return {
    reads,
    async read(key, range, maxBytes) {
      reads.push({ key, start: range?.start ?? 0, end: range?.end });
      const bytes = load(key);
      if (range === undefined) {
        if (bytes.byteLength > maxBytes) throw unplayable(`the source is larger than ${maxBytes} bytes`);
        return { bytes, size: bytes.byteLength };
      }
      if (range.start >= bytes.byteLength) throw unplayable('the source is empty or shorter than its index says');
      return {
        bytes: bytes.subarray(range.start, Math.min(range.end, bytes.byteLength - 1) + 1),
        size: bytes.byteLength,
      };
    },
  };
}
