/**
 * CloudFront's wildcard match for a policy's `Resource` (CloudFront developer guide, "Create a signed URL using a
 * custom policy", Resource): `*` matches zero or more characters (including `/`, `?` and `&`), `?` matches exactly
 * one character, every other character matches itself, case-sensitively. The pattern covers the WHOLE URL.
 *
 * Linear-time greedy matching with one backtrack point (the classic wildcard algorithm), so a hostile pattern such
 * as `*a*a*a*a*b` cannot make a request cost exponential time.
 */
export function matchesResource(pattern: string, url: string): boolean {
  let p = 0;
  let u = 0;
  let starP = -1;
  let starU = 0;
  while (u < url.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = p;
      starU = u;
      p += 1;
    } else if (c !== undefined && (c === '?' || c === url[u])) {
      p += 1;
      u += 1;
    } else if (starP !== -1) {
      p = starP + 1;
      starU += 1;
      u = starU;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}
