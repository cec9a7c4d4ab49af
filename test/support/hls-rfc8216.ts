/**
 * A checker of the RFC 8216 rules (sections 4.1-4.3 and 7) that apply to the playlists this project serves:
 * VOD media playlists of fMP4 segments (EXT-X-MAP, EXT-X-BYTERANGE) and multivariant playlists with
 * EXT-X-STREAM-INF and EXT-X-MEDIA. It returns every violation found (an empty list means conforming) plus the
 * parsed playlist, so tests can also fetch what it points at.
 * https://www.rfc-editor.org/rfc/rfc8216
 */

export interface ByteRangeSpec {
  readonly length: number;
  readonly offset: number;
}

export interface CheckedSegment {
  readonly uri: string;
  readonly duration: number;
  readonly byteRange: ByteRangeSpec | undefined;
}

export interface CheckedPlaylist {
  readonly kind: 'media' | 'multivariant' | 'unknown';
  readonly violations: string[];
  readonly version: number;
  readonly targetDuration: number | undefined;
  readonly map: { readonly uri: string; readonly byteRange: ByteRangeSpec | undefined } | undefined;
  readonly segments: CheckedSegment[];
  readonly variants: Array<{ readonly uri: string; readonly attributes: Readonly<Record<string, string>> }>;
  readonly renditions: Array<Readonly<Record<string, string>>>;
  readonly tags: string[];
}

/** Tags that may appear at most once per playlist (4.3.1.2, 4.3.3.x, 4.3.5.1). */
const ONCE_ONLY = [
  'EXT-X-VERSION',
  'EXT-X-TARGETDURATION',
  'EXT-X-MEDIA-SEQUENCE',
  'EXT-X-DISCONTINUITY-SEQUENCE',
  'EXT-X-PLAYLIST-TYPE',
  'EXT-X-ENDLIST',
  'EXT-X-I-FRAMES-ONLY',
  'EXT-X-INDEPENDENT-SEGMENTS',
  'EXT-X-START',
];
const MEDIA_TAGS = new Set([
  'EXTINF',
  'EXT-X-BYTERANGE',
  'EXT-X-DISCONTINUITY',
  'EXT-X-KEY',
  'EXT-X-MAP',
  'EXT-X-PROGRAM-DATE-TIME',
  'EXT-X-DATERANGE',
  'EXT-X-TARGETDURATION',
  'EXT-X-MEDIA-SEQUENCE',
  'EXT-X-DISCONTINUITY-SEQUENCE',
  'EXT-X-ENDLIST',
  'EXT-X-PLAYLIST-TYPE',
  'EXT-X-I-FRAMES-ONLY',
]);
const MULTIVARIANT_TAGS = new Set([
  'EXT-X-MEDIA',
  'EXT-X-STREAM-INF',
  'EXT-X-I-FRAME-STREAM-INF',
  'EXT-X-SESSION-DATA',
  'EXT-X-SESSION-KEY',
]);

const DECIMAL_INTEGER = /^(0|[1-9][0-9]{0,19})$/;
const DECIMAL_FLOAT = /^[0-9]+(\.[0-9]+)?$/;
const ATTRIBUTE = /([A-Z0-9-]+)=("[^"\r\n]*"|[^",]*)(,|$)/y;

/** 4.2 attribute lists: name=value pairs, no duplicate names. */
export function parseAttributes(text: string, violations: string[], tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  ATTRIBUTE.lastIndex = 0;
  while (ATTRIBUTE.lastIndex < text.length) {
    const at = ATTRIBUTE.lastIndex;
    const match = ATTRIBUTE.exec(text);
    if (match === null) {
      violations.push(`${tag}: malformed attribute list at ${at}: ${text}`);
      break;
    }
    const [, name = '', value = ''] = match;
    if (Object.hasOwn(attributes, name)) violations.push(`${tag}: attribute ${name} appears twice (4.2)`);
    attributes[name] = value;
  }
  return attributes;
}

function unquote(value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith('"') || !value.endsWith('"') || value.length < 2) return undefined;
  return value.slice(1, -1);
}

function parseByteRange(text: string): { length: number; offset: number | undefined } | undefined {
  const match = /^([0-9]+)(?:@([0-9]+))?$/.exec(text);
  if (match === null) return undefined;
  return { length: Number(match[1]), offset: match[2] === undefined ? undefined : Number(match[2]) };
}

export function checkPlaylist(text: string): CheckedPlaylist {
  const violations: string[] = [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== '#EXTM3U') violations.push('the first line must be #EXTM3U (4.3.1.1)');
  const counts = new Map<string, number>();
  const tags: string[] = [];
  let version = 1;
  let required = 1;
  /** Raises the compatibility version the playlist's tags require (RFC 8216 section 7). */
  const need = (minimum: number): void => {
    if (minimum > required) required = minimum;
  };
  let targetDuration: number | undefined;
  let map: CheckedPlaylist['map'];
  const segments: CheckedSegment[] = [];
  const variants: CheckedPlaylist['variants'] = [];
  const renditions: CheckedPlaylist['renditions'] = [];
  let pendingDuration: number | undefined;
  let pendingRange: { length: number; offset: number | undefined } | undefined;
  let pendingVariant: Record<string, string> | undefined;
  let sawMedia = false;
  let sawMultivariant = false;
  let iFramesOnly = false;
  let previousRangeEnd: { uri: string; end: number } | undefined;

  for (const [index, line] of lines.entries()) {
    if (index === 0) continue;
    if (line.trim() === '') continue;
    if (line !== line.trim()) violations.push(`line ${index + 1} has surrounding whitespace`);
    if (line.startsWith('#EXT')) {
      const colon = line.indexOf(':');
      const name = (colon === -1 ? line : line.slice(0, colon)).slice(1);
      const value = colon === -1 ? '' : line.slice(colon + 1);
      tags.push(name);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (MEDIA_TAGS.has(name)) sawMedia = true;
      if (MULTIVARIANT_TAGS.has(name)) sawMultivariant = true;
      switch (name) {
        case 'EXT-X-VERSION':
          if (!DECIMAL_INTEGER.test(value)) violations.push('EXT-X-VERSION must be a decimal-integer');
          version = Number(value);
          break;
        case 'EXT-X-TARGETDURATION':
          if (!DECIMAL_INTEGER.test(value)) violations.push('EXT-X-TARGETDURATION must be a decimal-integer (4.3.3.1)');
          targetDuration = Number(value);
          if (segments.length > 0) violations.push('EXT-X-TARGETDURATION after a segment');
          break;
        case 'EXT-X-MEDIA-SEQUENCE':
          if (!DECIMAL_INTEGER.test(value)) violations.push('EXT-X-MEDIA-SEQUENCE must be a decimal-integer');
          if (segments.length > 0 || pendingDuration !== undefined) {
            violations.push('EXT-X-MEDIA-SEQUENCE must appear before the first Media Segment (4.3.3.2)');
          }
          break;
        case 'EXT-X-PLAYLIST-TYPE':
          if (value !== 'VOD' && value !== 'EVENT') violations.push('EXT-X-PLAYLIST-TYPE must be VOD or EVENT');
          break;
        case 'EXT-X-I-FRAMES-ONLY':
          iFramesOnly = true;
          need(4);
          break;
        case 'EXTINF': {
          const duration = value.slice(0, value.indexOf(',') === -1 ? value.length : value.indexOf(','));
          if (!value.includes(',')) violations.push(`EXTINF without the comma (4.3.2.1): ${line}`);
          if (!DECIMAL_FLOAT.test(duration)) violations.push(`EXTINF duration is not decimal: ${line}`);
          if (!DECIMAL_INTEGER.test(duration)) need(3);
          if (pendingDuration !== undefined) violations.push('two EXTINF tags for one segment');
          pendingDuration = Number(duration);
          break;
        }
        case 'EXT-X-BYTERANGE': {
          need(4);
          const range = parseByteRange(value);
          if (range === undefined) violations.push(`EXT-X-BYTERANGE malformed: ${line}`);
          pendingRange = range;
          break;
        }
        case 'EXT-X-MAP': {
          const attributes = parseAttributes(value, violations, name);
          const uri = unquote(attributes.URI);
          if (uri === undefined) violations.push('EXT-X-MAP requires a quoted URI (4.3.2.5)');
          let byteRange: ByteRangeSpec | undefined;
          if (attributes.BYTERANGE !== undefined) {
            const range = parseByteRange(unquote(attributes.BYTERANGE) ?? '');
            if (range?.offset === undefined) {
              violations.push('EXT-X-MAP BYTERANGE must be a quoted "n@o" with the offset (4.3.2.5)');
            } else {
              byteRange = { length: range.length, offset: range.offset };
            }
          }
          need(iFramesOnly ? 5 : 6);
          if (map !== undefined) violations.push('more than one EXT-X-MAP without a discontinuity');
          map = { uri: uri ?? '', byteRange };
          break;
        }
        case 'EXT-X-STREAM-INF': {
          const attributes = parseAttributes(value, violations, name);
          if (attributes.BANDWIDTH === undefined || !DECIMAL_INTEGER.test(attributes.BANDWIDTH)) {
            violations.push('EXT-X-STREAM-INF requires a decimal-integer BANDWIDTH (4.3.4.2)');
          }
          if (attributes['AVERAGE-BANDWIDTH'] !== undefined && !DECIMAL_INTEGER.test(attributes['AVERAGE-BANDWIDTH'])) {
            violations.push('AVERAGE-BANDWIDTH must be a decimal-integer');
          }
          if (attributes.CODECS !== undefined && unquote(attributes.CODECS) === undefined) {
            violations.push('CODECS must be a quoted-string');
          }
          if (attributes.RESOLUTION !== undefined && !/^[0-9]+x[0-9]+$/.test(attributes.RESOLUTION)) {
            violations.push('RESOLUTION must be a decimal-resolution');
          }
          if (attributes['FRAME-RATE'] !== undefined && !/^[0-9]+(\.[0-9]{1,3})?$/.test(attributes['FRAME-RATE'])) {
            violations.push('FRAME-RATE must be a decimal-floating-point with at most 3 decimals (4.3.4.2)');
          }
          for (const group of ['AUDIO', 'VIDEO', 'SUBTITLES']) {
            if (attributes[group] !== undefined && unquote(attributes[group]) === undefined) {
              violations.push(`${group} must be a quoted-string`);
            }
          }
          if (pendingVariant !== undefined) violations.push('EXT-X-STREAM-INF without a URI line (4.3.4.2)');
          pendingVariant = attributes;
          break;
        }
        case 'EXT-X-MEDIA': {
          const attributes = parseAttributes(value, violations, name);
          const type = attributes.TYPE;
          if (type === undefined || !['AUDIO', 'VIDEO', 'SUBTITLES', 'CLOSED-CAPTIONS'].includes(type)) {
            violations.push('EXT-X-MEDIA requires TYPE (4.3.4.1)');
          }
          if (unquote(attributes['GROUP-ID']) === undefined) violations.push('EXT-X-MEDIA requires GROUP-ID (4.3.4.1)');
          if (unquote(attributes.NAME) === undefined) violations.push('EXT-X-MEDIA requires NAME (4.3.4.1)');
          if (type === 'CLOSED-CAPTIONS' && attributes.URI !== undefined) {
            violations.push('CLOSED-CAPTIONS must not have a URI');
          }
          if (type === 'SUBTITLES' && attributes.URI === undefined) violations.push('SUBTITLES requires a URI');
          if (attributes.URI !== undefined && unquote(attributes.URI) === undefined) {
            violations.push('EXT-X-MEDIA URI must be a quoted-string');
          }
          for (const flag of ['DEFAULT', 'AUTOSELECT', 'FORCED']) {
            if (attributes[flag] !== undefined && attributes[flag] !== 'YES' && attributes[flag] !== 'NO') {
              violations.push(`${flag} must be YES or NO`);
            }
          }
          if (attributes.DEFAULT === 'YES' && attributes.AUTOSELECT !== undefined && attributes.AUTOSELECT !== 'YES') {
            violations.push('DEFAULT=YES requires AUTOSELECT=YES when present (4.3.4.1)');
          }
          renditions.push(attributes);
          break;
        }
        default:
          break;
      }
      continue;
    }
    if (line.startsWith('#')) continue; // comment
    // A URI line.
    if (/\s/.test(line)) violations.push(`URI line with whitespace: ${line}`);
    if (pendingVariant !== undefined) {
      variants.push({ uri: line, attributes: pendingVariant });
      pendingVariant = undefined;
      continue;
    }
    if (pendingDuration === undefined) {
      violations.push(`a URI line without EXTINF (4.3.2.1): ${line}`);
      continue;
    }
    let byteRange: ByteRangeSpec | undefined;
    if (pendingRange !== undefined) {
      let offset = pendingRange.offset;
      if (offset === undefined) {
        // 4.3.2.2: without an offset the sub-range follows the previous one of the same resource.
        if (previousRangeEnd?.uri !== line) violations.push('EXT-X-BYTERANGE without offset after another resource');
        offset = previousRangeEnd?.end ?? 0;
      }
      byteRange = { length: pendingRange.length, offset };
      previousRangeEnd = { uri: line, end: offset + pendingRange.length };
    } else {
      previousRangeEnd = undefined;
    }
    segments.push({ uri: line, duration: pendingDuration, byteRange });
    pendingDuration = undefined;
    pendingRange = undefined;
  }

  if (pendingDuration !== undefined || pendingRange !== undefined) violations.push('a segment tag without a URI');
  if (pendingVariant !== undefined) violations.push('EXT-X-STREAM-INF without a URI line (4.3.4.2)');
  for (const tag of ONCE_ONLY) {
    if ((counts.get(tag) ?? 0) > 1) violations.push(`${tag} appears more than once`);
  }
  if (sawMedia && sawMultivariant) violations.push('media and multivariant tags in one playlist (4.1)');
  const kind = sawMedia ? 'media' : sawMultivariant ? 'multivariant' : 'unknown';
  if (kind === 'media') {
    if (targetDuration === undefined) violations.push('EXT-X-TARGETDURATION is REQUIRED (4.3.3.1)');
    for (const segment of segments) {
      if (targetDuration !== undefined && Math.round(segment.duration) > targetDuration) {
        violations.push(`EXTINF ${segment.duration} rounds above EXT-X-TARGETDURATION ${targetDuration} (4.3.3.1)`);
      }
    }
    if (segments.length === 0) violations.push('a media playlist without segments');
  }
  if (kind === 'multivariant') {
    const groups = new Map<string, Array<Readonly<Record<string, string>>>>();
    for (const rendition of renditions) {
      const key = `${rendition.TYPE}/${rendition['GROUP-ID']}`;
      groups.set(key, [...(groups.get(key) ?? []), rendition]);
    }
    for (const [key, members] of groups) {
      const names = members.map((member) => member.NAME);
      if (new Set(names).size !== names.length) violations.push(`NAME not unique in group ${key} (4.3.4.1.1)`);
      if (members.filter((member) => member.DEFAULT === 'YES').length > 1) {
        violations.push(`more than one DEFAULT=YES in group ${key} (4.3.4.1.1)`);
      }
    }
    for (const variant of variants) {
      for (const type of ['AUDIO', 'VIDEO', 'SUBTITLES']) {
        const group = variant.attributes[type];
        if (group !== undefined && !groups.has(`${type}/${group}`)) {
          violations.push(`${type}=${group} names no EXT-X-MEDIA group (4.3.4.2)`);
        }
      }
    }
    if (variants.length === 0) violations.push('a multivariant playlist without variants');
  }
  if (required > 1 && version < required) {
    violations.push(`EXT-X-VERSION ${version} is below the ${required} its tags require (section 7)`);
  }
  return { kind, violations, version, targetDuration, map, segments, variants, renditions, tags };
}
