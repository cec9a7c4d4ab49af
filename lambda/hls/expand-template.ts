/**
 * SegmentTemplate identifiers (ISO/IEC 23009-1 section 5.3.9.4.4, Table 16): `$RepresentationID$`,
 * `$Number$`, `$Bandwidth$`, `$Time$`, each of the last three with an optional `%0<width>d` format tag, and
 * `$$` for a literal dollar. `$SubNumber$` and anything unknown are refused.
 */
import { unplayable } from './unplayable-source.ts';

export interface TemplateValues {
  readonly representationId: string;
  readonly number?: number;
  readonly bandwidth: number;
  readonly time?: number;
}

const IDENTIFIER = /\$([A-Za-z]*)(?:%0([0-9]{1,2})d)?\$/g;

export function expandTemplate(template: string, values: TemplateValues): string {
  const expanded = template.replace(IDENTIFIER, (match, name: string, width: string | undefined) => {
    if (match === '$$') return '$';
    const pad = (value: number | undefined): string => {
      if (value === undefined) throw unplayable(`the SegmentTemplate uses $${name}$ where it has no value`);
      return String(value).padStart(width === undefined ? 0 : Number(width), '0');
    };
    switch (name) {
      case 'RepresentationID':
        if (width !== undefined) throw unplayable('the SegmentTemplate formats $RepresentationID$');
        return values.representationId;
      case 'Number':
        return pad(values.number);
      case 'Bandwidth':
        return pad(values.bandwidth);
      case 'Time':
        return pad(values.time);
      default:
        throw unplayable('the SegmentTemplate uses an identifier this generator does not support');
    }
  });
  // A lone `$` left over is an unterminated identifier.
  if (template.replace(IDENTIFIER, '').includes('$')) {
    throw unplayable('the SegmentTemplate has an unterminated $ identifier');
  }
  return expanded;
}
