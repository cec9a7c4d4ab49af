/**
 * MPD (ISO/IEC 23009-1) -> the few facts an HLS playlist needs, for the profiles this generator translates:
 * ONE static Period, representations addressed by SegmentBase (one file, sidx index) or SegmentTemplate
 * (with a SegmentTimeline, or @duration and $Number$). Everything else is refused with a reason: dynamic
 * (live) MPDs, several Periods, SegmentList, ContentProtection (HLS would need its own key signalling),
 * absolute or escaping BaseURLs (segments are served from this bucket, beside the MPD, or not at all).
 *
 * Attribute inheritance follows 23009-1 section 5.3.9.1: SegmentBase/SegmentTemplate attributes set on the
 * Period or AdaptationSet apply to the Representations below unless they set their own.
 */
import { parseXml, type XmlElement } from './parse-xml.ts';
import { unplayable } from './unplayable-source.ts';

export const MAX_MPD_BYTES = 1024 * 1024;

export interface InclusiveRange {
  readonly start: number;
  readonly end: number;
}

export interface TimelineEntry {
  readonly t: number | undefined;
  readonly d: number;
  readonly r: number;
}

export interface TemplateAddressing {
  readonly kind: 'template';
  readonly timescale: number;
  readonly media: string;
  readonly initialization: string | undefined;
  readonly startNumber: number;
  readonly duration: number | undefined;
  readonly timeline: readonly TimelineEntry[] | undefined;
}

export interface BaseAddressing {
  readonly kind: 'base';
  readonly indexRange: InclusiveRange | undefined;
  readonly initialization: InclusiveRange | undefined;
}

export type ContentKind = 'video' | 'audio' | 'other';

export interface MpdRepresentation {
  readonly id: string;
  readonly bandwidth: number;
  readonly codecs: string | undefined;
  readonly contentType: ContentKind;
  readonly width: number | undefined;
  readonly height: number | undefined;
  /** Frames per second. */
  readonly frameRate: number | undefined;
  readonly channels: string | undefined;
  readonly lang: string | undefined;
  /** Relative path (from the MPD's folder) that segment names resolve against: '' or ends with the file name. */
  readonly baseUrl: string;
  readonly addressing: TemplateAddressing | BaseAddressing;
  /** startWithSAP / subsegmentStartsWithSAP is 1 or 2: every segment starts with a closed-GOP keyframe. */
  readonly startsWithSap: boolean;
}

export interface Presentation {
  readonly durationSeconds: number | undefined;
  readonly representations: readonly MpdRepresentation[];
}

function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((candidate) => candidate.name === name);
}

const DIGITS = /^[0-9]{1,15}$/;

function nonNegativeInteger(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!DIGITS.test(trimmed)) throw unplayable(`the MPD has an invalid ${what}`);
  return Number(trimmed);
}

function signedInteger(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.startsWith('-')) {
    const magnitude = nonNegativeInteger(trimmed.slice(1), what);
    return magnitude === undefined ? undefined : -magnitude;
  }
  return nonNegativeInteger(trimmed, what);
}

function byteRange(value: string | undefined, what: string): InclusiveRange | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*([0-9]{1,15})-([0-9]{1,15})\s*$/.exec(value);
  if (match === null) throw unplayable(`the MPD has an invalid ${what}`);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) throw unplayable(`the MPD has an invalid ${what}`);
  return { start, end };
}

const ISO_DURATION =
  /^P(?:([0-9]+(?:\.[0-9]+)?)D)?(?:T(?:([0-9]+(?:\.[0-9]+)?)H)?(?:([0-9]+(?:\.[0-9]+)?)M)?(?:([0-9]+(?:\.[0-9]+)?)S)?)?$/;

/** xs:duration restricted to days, hours, minutes and seconds (years and months have no fixed length). */
export function parseIsoDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = ISO_DURATION.exec(value.trim());
  if (match === null || value.trim() === 'P' || value.trim().endsWith('T')) {
    throw unplayable('the MPD has a duration this generator cannot read');
  }
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  return Number(d) * 86400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** "24", "24/1", "30000/1001" -> frames per second. */
function frameRate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*([0-9]{1,9})(?:\/([0-9]{1,9}))?\s*$/.exec(value);
  if (match === null) throw unplayable('the MPD has an invalid frameRate');
  const denominator = match[2] === undefined ? 1 : Number(match[2]);
  if (denominator === 0) throw unplayable('the MPD has an invalid frameRate');
  return Number(match[1]) / denominator;
}

/** A BaseURL usable here: relative, no scheme, no query/fragment, no `..`, nothing that leaves the MPD's folder. */
function checkedBaseUrl(element: XmlElement | undefined): string | undefined {
  if (element === undefined) return undefined;
  const value = element.text.trim();
  if (value === '') return undefined;
  const segments = value.split('/');
  if (
    /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) ||
    value.startsWith('/') ||
    /[?#\\]/.test(value) ||
    segments.includes('..')
  ) {
    throw unplayable('the MPD has a BaseURL outside its own folder (only relative BaseURLs are served)');
  }
  return value;
}

/** RFC 3986 section 5.2 for relative paths: the reference replaces the last segment of the base. */
function resolveRelative(base: string, reference: string): string {
  return base.slice(0, base.lastIndexOf('/') + 1) + reference;
}

function startsWithSap(...elements: XmlElement[]): boolean {
  for (const element of elements) {
    for (const name of ['startWithSAP', 'subsegmentStartsWithSAP']) {
      const value = element.attributes[name];
      if (value !== undefined) return value === '1' || value === '2';
    }
  }
  return false;
}

function contentKind(set: XmlElement, representation: XmlElement): ContentKind {
  const declared = set.attributes.contentType ?? representation.attributes.contentType;
  const mime = representation.attributes.mimeType ?? set.attributes.mimeType ?? '';
  const kind = declared ?? mime.split('/')[0];
  if (kind === 'video' || kind === 'audio') return kind;
  return 'other';
}

function channelsOf(...elements: XmlElement[]): string | undefined {
  for (const element of elements) {
    const config = child(element, 'AudioChannelConfiguration');
    const value = config?.attributes.value;
    if (value !== undefined && /^[0-9]{1,2}$/.test(value)) return String(Number(value));
  }
  return undefined;
}

function timelineOf(template: XmlElement): TimelineEntry[] | undefined {
  const timeline = child(template, 'SegmentTimeline');
  if (timeline === undefined) return undefined;
  return children(timeline, 'S').map((s) => {
    const d = nonNegativeInteger(s.attributes.d, 'S@d');
    if (d === undefined || d === 0) throw unplayable('the MPD has a SegmentTimeline entry without a duration');
    const r = signedInteger(s.attributes.r, 'S@r') ?? 0;
    if (r < -1) throw unplayable('the MPD has an invalid S@r');
    return { t: nonNegativeInteger(s.attributes.t, 'S@t'), d, r };
  });
}

function addressingOf(levels: readonly XmlElement[], hasBaseUrl: boolean): TemplateAddressing | BaseAddressing {
  // `levels` is outermost first: Period, AdaptationSet, Representation.
  for (const level of levels) {
    if (child(level, 'SegmentList') !== undefined) throw unplayable('SegmentList addressing is not supported');
  }
  const templates = levels.map((level) => child(level, 'SegmentTemplate')).filter((t) => t !== undefined);
  if (templates.length > 0) {
    const merged: Record<string, string> = {};
    for (const template of templates) Object.assign(merged, template.attributes);
    const timeline = templates
      .map(timelineOf)
      .filter((t) => t !== undefined)
      .at(-1);
    const media = merged.media;
    if (media === undefined) throw unplayable('the MPD has a SegmentTemplate without @media');
    const timescale = nonNegativeInteger(merged.timescale, 'timescale') ?? 1;
    if (timescale === 0) throw unplayable('the MPD has a zero timescale');
    const duration = nonNegativeInteger(merged.duration, 'SegmentTemplate@duration');
    if (timeline === undefined && (duration === undefined || duration === 0)) {
      throw unplayable('the MPD has a SegmentTemplate with neither a SegmentTimeline nor @duration');
    }
    return {
      kind: 'template',
      timescale,
      media,
      initialization: merged.initialization,
      startNumber: nonNegativeInteger(merged.startNumber, 'startNumber') ?? 1,
      duration,
      timeline,
    };
  }
  const bases = levels.map((level) => child(level, 'SegmentBase')).filter((b) => b !== undefined);
  if (bases.length === 0 && !hasBaseUrl) throw unplayable('a Representation has no segment addressing');
  const merged: Record<string, string> = {};
  let initialization: InclusiveRange | undefined;
  for (const base of bases) {
    Object.assign(merged, base.attributes);
    const init = child(base, 'Initialization');
    if (init?.attributes.sourceURL !== undefined) {
      throw unplayable('Initialization@sourceURL is not supported (the init section must be in the media file)');
    }
    initialization = byteRange(init?.attributes.range, 'Initialization@range') ?? initialization;
  }
  return { kind: 'base', indexRange: byteRange(merged.indexRange, 'indexRange'), initialization };
}

export function parseMpd(text: string): Presentation {
  if (text.length > MAX_MPD_BYTES) throw unplayable('the MPD is larger than 1 MiB');
  const mpd = parseXml(text);
  if (mpd.name !== 'MPD') throw unplayable('the file is not an MPD');
  if ((mpd.attributes.type ?? 'static') !== 'static') {
    throw unplayable('dynamic (live) MPDs are not supported');
  }
  const periods = children(mpd, 'Period');
  const [period, ...others] = periods;
  if (period === undefined) throw unplayable('the MPD has no Period');
  if (others.length > 0) throw unplayable('MPDs with several Periods are not supported');
  const durationSeconds =
    parseIsoDuration(period.attributes.duration) ?? parseIsoDuration(mpd.attributes.mediaPresentationDuration);

  const mpdBase = checkedBaseUrl(child(mpd, 'BaseURL')) ?? '';
  const periodBase = resolveRelative(mpdBase, checkedBaseUrl(child(period, 'BaseURL')) ?? '');
  const representations: MpdRepresentation[] = [];
  const ids = new Set<string>();
  for (const set of children(period, 'AdaptationSet')) {
    const setBase = resolveRelative(periodBase, checkedBaseUrl(child(set, 'BaseURL')) ?? '');
    for (const representation of children(set, 'Representation')) {
      if (child(set, 'ContentProtection') !== undefined || child(representation, 'ContentProtection') !== undefined) {
        throw unplayable('encrypted (ContentProtection) representations are not supported');
      }
      const { id } = representation.attributes;
      if (id === undefined || id === '' || ids.has(id)) {
        throw unplayable('the MPD has a Representation without a unique @id');
      }
      ids.add(id);
      const bandwidth = nonNegativeInteger(representation.attributes.bandwidth, 'bandwidth');
      if (bandwidth === undefined || bandwidth === 0)
        throw unplayable('the MPD has a Representation without @bandwidth');
      const ownBase = checkedBaseUrl(child(representation, 'BaseURL'));
      const baseUrl = resolveRelative(setBase, ownBase ?? '');
      const attribute = (name: string): string | undefined => representation.attributes[name] ?? set.attributes[name];
      representations.push({
        id,
        bandwidth,
        codecs: attribute('codecs'),
        contentType: contentKind(set, representation),
        width: nonNegativeInteger(attribute('width'), 'width'),
        height: nonNegativeInteger(attribute('height'), 'height'),
        frameRate: frameRate(attribute('frameRate')),
        channels: channelsOf(representation, set),
        lang: set.attributes.lang ?? representation.attributes.lang,
        baseUrl,
        addressing: addressingOf([period, set, representation], baseUrl !== '' && !baseUrl.endsWith('/')),
        startsWithSap: startsWithSap(representation, set),
      });
    }
  }
  if (representations.length === 0) throw unplayable('the MPD has no Representation');
  return { durationSeconds, representations };
}
