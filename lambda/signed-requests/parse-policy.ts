/**
 * A CloudFront policy document (canned or custom; CloudFront developer guide, "Create a signed URL using a custom
 * policy") -> typed conditions, strictly:
 *
 *   {"Statement":[{"Resource":"<url pattern>","Condition":{
 *       "DateLessThan":{"AWS:EpochTime":<seconds>},          required
 *       "DateGreaterThan":{"AWS:EpochTime":<seconds>},       optional
 *       "IpAddress":{"AWS:SourceIp":"<CIDR>"}}}]}            optional
 *
 * Exactly one statement, as CloudFront requires. Unknown keys are refused rather than ignored: a condition this
 * code does not understand must not silently go unenforced. A missing Resource means "every object" (CloudFront's
 * documented meaning). Documents larger than MAX_POLICY_BYTES are refused before parsing.
 */
import { type Cidr, parseCidr } from './match-source-ip.ts';

/** CloudFront does not document a limit; 8 KiB is far beyond any real policy and bounds the JSON parse. */
export const MAX_POLICY_BYTES = 8 * 1024;

export interface SignedPolicy {
  /** The Resource pattern; undefined = every object (CloudFront's meaning of an omitted Resource). */
  readonly resource: string | undefined;
  /** Epoch seconds; the request must arrive strictly before it. */
  readonly dateLessThan: number;
  /** Epoch seconds; the request must arrive after it. */
  readonly dateGreaterThan: number | undefined;
  readonly sourceIp: Cidr | undefined;
}

export type PolicyResult = { readonly ok: true; readonly policy: SignedPolicy } | { readonly ok: false };

const MALFORMED: PolicyResult = { ok: false };

export function parsePolicy(bytes: Uint8Array): PolicyResult {
  if (bytes.byteLength === 0 || bytes.byteLength > MAX_POLICY_BYTES) return MALFORMED;
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return MALFORMED;
  }
  if (!isRecord(document) || !onlyKeys(document, ['Statement'])) return MALFORMED;
  const statements = document.Statement;
  if (!Array.isArray(statements) || statements.length !== 1) return MALFORMED;
  const statement: unknown = statements[0];
  if (!isRecord(statement) || !onlyKeys(statement, ['Resource', 'Condition'])) return MALFORMED;
  const resource = statement.Resource;
  if (resource !== undefined && (typeof resource !== 'string' || resource === '')) return MALFORMED;
  const condition = statement.Condition;
  if (!isRecord(condition) || !onlyKeys(condition, ['DateLessThan', 'DateGreaterThan', 'IpAddress'])) {
    return MALFORMED;
  }
  const dateLessThan = epochTime(condition.DateLessThan);
  if (dateLessThan === undefined) return MALFORMED;
  let dateGreaterThan: number | undefined;
  if (condition.DateGreaterThan !== undefined) {
    dateGreaterThan = epochTime(condition.DateGreaterThan);
    if (dateGreaterThan === undefined) return MALFORMED;
  }
  let sourceIp: Cidr | undefined;
  if (condition.IpAddress !== undefined) {
    const ip = condition.IpAddress;
    if (!isRecord(ip) || !onlyKeys(ip, ['AWS:SourceIp']) || typeof ip['AWS:SourceIp'] !== 'string') return MALFORMED;
    sourceIp = parseCidr(ip['AWS:SourceIp']);
    if (sourceIp === undefined) return MALFORMED;
  }
  return { ok: true, policy: { resource, dateLessThan, dateGreaterThan, sourceIp } };
}

function epochTime(value: unknown): number | undefined {
  if (!isRecord(value) || !onlyKeys(value, ['AWS:EpochTime'])) return undefined;
  const seconds = value['AWS:EpochTime'];
  return typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0 ? seconds : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(record: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(record).every((key) => allowed.includes(key));
}
