/**
 * The segment list of one Representation (or one stored MP4), as the media playlist writes it: an init section
 * (EXT-X-MAP) and media segments with their durations in seconds, addressed by a path relative to the MPD's
 * folder and, for single-file media, a byte range.
 */
import { expandTemplate } from './expand-template.ts';
import type { SegmentIndex } from './mp4-boxes.ts';
import type { InclusiveRange, MpdRepresentation, TemplateAddressing } from './parse-mpd.ts';
import { folderOfKey } from './playlist-address.ts';
import { unplayable } from './unplayable-source.ts';

/** More segments than this in one playlist is refused (bounded work and body size). */
export const MAX_SEGMENTS = 50_000;

export interface PlaylistSegment {
  /** Relative path from the playlist's folder, not yet URI-encoded. */
  readonly path: string;
  readonly range: InclusiveRange | undefined;
  readonly durationSeconds: number;
}

export interface MediaSegments {
  readonly init: { readonly path: string; readonly range: InclusiveRange | undefined } | undefined;
  readonly segments: readonly PlaylistSegment[];
  /** Every segment starts with a SAP of type 1 or 2 (EXT-X-INDEPENDENT-SEGMENTS). */
  readonly independent: boolean;
}

function checkedName(name: string): string {
  if (name === '' || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(name) || name.startsWith('/') || name.split('/').includes('..')) {
    throw unplayable('the SegmentTemplate names a file outside the MPD folder');
  }
  return name;
}

/** SegmentTemplate: the stored segment files, named by expanding the template for each segment. */
export function templateSegments(
  representation: MpdRepresentation,
  addressing: TemplateAddressing,
  presentationSeconds: number | undefined,
): MediaSegments {
  const base = folderOfKey(representation.baseUrl);
  const values = { representationId: representation.id, bandwidth: representation.bandwidth };
  const init =
    addressing.initialization === undefined
      ? undefined
      : { path: base + checkedName(expandTemplate(addressing.initialization, values)), range: undefined };
  const timing =
    addressing.timeline === undefined
      ? numberedTiming(addressing, presentationSeconds)
      : timelineTiming(addressing, presentationSeconds);
  const segments = timing.map(({ time, duration }, index) => ({
    path:
      base + checkedName(expandTemplate(addressing.media, { ...values, number: addressing.startNumber + index, time })),
    range: undefined,
    durationSeconds: duration / addressing.timescale,
  }));
  return { init, segments, independent: representation.startsWithSap };
}

interface Timing {
  readonly time: number;
  readonly duration: number;
}

function timelineTiming(addressing: TemplateAddressing, presentationSeconds: number | undefined): Timing[] {
  const timeline = addressing.timeline ?? [];
  const timings: Timing[] = [];
  let time = 0;
  for (const [index, entry] of timeline.entries()) {
    time = entry.t ?? time;
    let repeats = entry.r;
    if (repeats === -1) {
      // r = -1: repeat until the next S@t, or the end of the Period (23009-1 5.3.9.6.1).
      const next = timeline[index + 1]?.t;
      const end =
        next ??
        (presentationSeconds === undefined ? undefined : Math.round(presentationSeconds * addressing.timescale));
      if (end === undefined) throw unplayable('the SegmentTimeline repeats to an end the MPD does not give');
      repeats = Math.max(0, Math.ceil((end - time) / entry.d) - 1);
    }
    if (timings.length + repeats + 1 > MAX_SEGMENTS) throw unplayable('the representation has too many segments');
    for (let i = 0; i <= repeats; i += 1) {
      timings.push({ time, duration: entry.d });
      time += entry.d;
    }
  }
  if (timings.length === 0) throw unplayable('the SegmentTimeline lists no segments');
  return timings;
}

function numberedTiming(addressing: TemplateAddressing, presentationSeconds: number | undefined): Timing[] {
  const duration = addressing.duration ?? 0;
  if (presentationSeconds === undefined || presentationSeconds <= 0) {
    throw unplayable('a SegmentTemplate with @duration needs the MPD duration');
  }
  const total = Math.round(presentationSeconds * addressing.timescale);
  const count = Math.ceil(total / duration);
  if (count > MAX_SEGMENTS) throw unplayable('the representation has too many segments');
  const timings: Timing[] = [];
  for (let i = 0; i < count; i += 1) {
    const time = i * duration;
    timings.push({ time, duration: Math.min(duration, total - time) });
  }
  return timings;
}

/** SegmentBase / one stored MP4: byte ranges of `path` from its sidx. */
export function indexedSegments(
  path: string,
  init: InclusiveRange,
  index: SegmentIndex,
  declaredIndependent: boolean,
): MediaSegments {
  if (index.references.length > MAX_SEGMENTS) throw unplayable('the representation has too many segments');
  return {
    init: { path, range: init },
    segments: index.references.map((reference) => ({
      path,
      range: { start: reference.offset, end: reference.offset + reference.size - 1 },
      durationSeconds: reference.duration / index.timescale,
    })),
    independent: declaredIndependent || index.references.every((reference) => reference.startsWithSap),
  };
}
