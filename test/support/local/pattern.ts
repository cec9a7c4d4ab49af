/** Deterministic bytes: byte i is (i * 31 + 7) & 0xff, so any slice can be checked without storing it. */
export function patternBytes(start: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 1) out[i] = ((start + i) * 31 + 7) & 0xff;
  return out;
}
