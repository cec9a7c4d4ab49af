/**
 * Before anything is timed: every path must answer what a player asks for with the exact stored bytes.
 * A path that is fast because it is wrong must not produce a number.
 */
import type { Keystream } from '../support/keystream.ts';
import type { BenchPath } from '../support/paths.ts';
import { bytesChecker, expectRange, parseContentRange } from '../support/verify.ts';

export interface CheckedObject {
  readonly key: string;
  readonly size: number;
  readonly keystream: Keystream;
}

export async function checkPath(path: BenchPath, small: CheckedObject, medium: CheckedObject): Promise<string[]> {
  const notes: string[] = [];
  const url = path.urlFor(small.key);

  // Safari's probe: exactly 2 bytes, truthful Content-Range.
  const probe = await path.client.get(url, {
    headers: { range: 'bytes=0-1' },
    onChunk: bytesChecker(small.keystream, 0),
  });
  expectRange(`${path.name} probe`, probe, { start: 0, end: 1, size: small.size });

  // A plain GET: the whole small object.
  const whole = await path.client.get(url, { onChunk: bytesChecker(small.keystream, 0) });
  if (whole.status !== 200 || whole.bytes !== small.size) {
    throw new Error(
      `${path.name} plain GET: ${whole.status} with ${whole.bytes} bytes, expected 200 with ${small.size}`,
    );
  }

  // A browser's open-ended read of the medium object, followed to the end, every byte compared.
  let next = 0;
  let responses = 0;
  while (next < medium.size) {
    const response = await path.client.get(path.urlFor(medium.key), {
      headers: { range: `bytes=${next}-` },
      onChunk: bytesChecker(medium.keystream, next),
    });
    responses++;
    const range = parseContentRange(response.headers);
    if (response.status !== 206 || range === null) {
      throw new Error(`${path.name} bytes=${next}-: ${response.status} ${response.headers['content-range']}`);
    }
    expectRange(`${path.name} bytes=${next}-`, response, { start: next, end: range.end, size: medium.size });
    next = range.end + 1;
  }
  notes.push(`${path.name}: open-ended read of ${medium.size} bytes took ${responses} response(s), bytes identical`);
  return notes;
}
