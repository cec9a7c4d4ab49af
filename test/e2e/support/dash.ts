/**
 * DASH players (dash.js, Shaka Player) on the e2e page dash.html, reached through any PageDriver; what they asked
 * on the wire comes back as page/request-recorder.js's records, for exact-answers.ts to check against the types
 * a DASH client needs.
 */

import { type RecordedRequest, settledRequests } from './exact-answers.ts';
import { callPage, type PageDriver, type PlayAndSeek } from './page-driver.ts';
import type { MediaState, SeekResult } from './player.ts';

export type DashEngine = 'dashjs' | 'shaka';

export interface DashPlay extends PlayAndSeek {
  readonly requests: readonly RecordedRequest[];
  readonly errors: readonly { readonly code: number | null; readonly message: string }[];
}

/** Loads `src` with `engine`, plays, seeks to 50% and 85% of the duration; returns what happened on the wire. */
export async function playDash(
  driver: PageDriver,
  engine: DashEngine,
  src: string,
  rewrite: Readonly<Record<string, string>> = {},
): Promise<DashPlay> {
  const started = await callPage<MediaState>(driver, 'loadDash', src, engine, rewrite, 0.3);
  const seeks: SeekResult[] = [];
  for (const fraction of [0.5, 0.85]) {
    seeks.push(await callPage<SeekResult>(driver, 'seekAndAdvance', started.duration * fraction, 0.25));
  }
  const requests = await settledRequests(driver);
  const errors = await callPage<DashPlay['errors']>(driver, 'dashErrors');
  return { started, seeks, requests, errors };
}

/** What a DASH client needs (ISO/IEC 23009-1 Annex C: application/dash+xml; IANA: video/iso.segment). */
export const DASH_TYPES: Readonly<Record<string, string>> = {
  mpd: 'application/dash+xml',
  mp4: 'video/mp4',
  m4s: 'video/iso.segment',
};
