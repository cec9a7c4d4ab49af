import { type EntityTag, isEtagc, parseEntityTag } from './entity-tag.ts';

/**
 * The object's entity-tag as the store reported it. S3 sends a quoted strong tag (`"9b2c..."`, `"9b2c...-3"`
 * for multipart uploads); some S3-compatible stores send it bare (`9b2c...`), which is quoted here so that
 * comparisons and the ETag we send are the same whichever store answered. Anything else (empty, embedded
 * quotes, control characters) is no usable validator: the response then carries no ETag and only `*` can
 * match it.
 */
export function storedEtag(raw: string | undefined): EntityTag | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseEntityTag(raw);
  if (parsed !== undefined) return parsed;
  if (raw.length === 0) return undefined;
  for (let i = 0; i < raw.length; i++) {
    if (!isEtagc(raw.charCodeAt(i))) return undefined;
  }
  return { weak: false, opaque: `"${raw}"` };
}
