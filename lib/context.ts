import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ALARM_EMAIL_PATTERN } from './alarm-topic.ts';
import { ConfigError } from './config-error.ts';
import type { MediaOriginProps } from './media-origin-props.ts';
import { MEASURED_PEAK_RSS_MB, MEMORY_HEADROOM_FACTOR, MIN_FUNCTION_MEMORY_MB } from './memory-budget.ts';
import { signingPublicKeysFromContext } from './signing-public-keys.ts';
import { LAMBDA_STREAM_MAX_BYTES } from './stream-budget.ts';

/**
 * CDK context -> validated settings for the stack. Values come either from `cdk.json` / `cdk.context.json`
 * (JSON types) or from `cdk deploy -c key=value` (always strings), so every reader accepts both forms.
 * Anything invalid throws a ConfigError naming the key and the value: synthesis fails before CloudFormation
 * is touched. Unknown plain keys fail too (a typo such as `-c keyprefix=media/` must not deploy the defaults).
 */

/** What the app needs besides the construct's props: names and ARNs it turns into constructs. */
export interface MediaOriginAppSettings {
  readonly stackName: string;
  /** Serve this existing bucket instead of creating one. */
  readonly bucketName?: string;
  /** KMS key ARN of an existing SSE-KMS bucket. */
  readonly bucketKmsKeyArn?: string;
  /** ACM certificate ARN (us-east-1) for `domainNames`. */
  readonly certificateArn?: string;
  /** An existing SNS topic for alarm notifications. */
  readonly alarmTopicArn?: string;
  /** Construct props that are plain values (no constructs). */
  readonly props: Omit<MediaOriginProps, 'bucket' | 'bucketEncryptionKey' | 'certificate' | 'alarmTopic' | 'entry'>;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type PlainProps = Writable<MediaOriginAppSettings['props']>;
type Reader = (key: string, raw: unknown, out: Writable<Partial<MediaOriginAppSettings>>, props: PlainProps) => void;

const DEFAULT_STACK_NAME = 'MediaOrigin';
const LAMBDA_MAX_MEMORY_MB = 10_240;
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];
const PRICE_CLASSES: Readonly<Record<string, cloudfront.PriceClass>> = {
  PriceClass_100: cloudfront.PriceClass.PRICE_CLASS_100,
  PriceClass_200: cloudfront.PriceClass.PRICE_CLASS_200,
  PriceClass_All: cloudfront.PriceClass.PRICE_CLASS_ALL,
};
const RETENTION_DAYS = new Set<number>(Object.values(logs.RetentionDays).filter((v) => typeof v === 'number'));

/** Every context key the app reads, with its parser. docs/operations.md's context table lists the same keys. */
const READERS: Readonly<Record<string, Reader>> = {
  stackName: (k, v, out) => {
    out.stackName = match(k, v, /^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a CloudFormation stack name (letters, digits, -)');
  },
  bucketName: (k, v, out) => {
    out.bucketName = bucketName(k, v);
  },
  bucketKmsKeyArn: (k, v, out) => {
    out.bucketKmsKeyArn = match(k, v, /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'a KMS key ARN');
  },
  bucketVersioned: (k, v, _, p) => {
    p.bucketVersioned = bool(k, v);
  },
  keyPrefix: (k, v, _, p) => {
    p.keyPrefix = keyPrefix(k, v);
  },
  publicUrl: (k, v, _, p) => {
    p.publicUrl = bool(k, v);
  },
  corsAllowedOrigins: (k, v, _, p) => {
    p.corsAllowedOrigins = corsOrigins(k, v);
  },
  corsAllowCredentials: (k, v, _, p) => {
    p.corsAllowCredentials = bool(k, v);
  },
  signingPublicKeys: (k, v, _, p) => {
    p.signingPublicKeys = signingPublicKeysFromContext(k, v, process.cwd());
  },
  signedUrlBase: (k, v, _, p) => {
    p.signedUrlBases = list(k, v).map((origin) => {
      if (!isOrigin(origin)) {
        throw new ConfigError(
          'context key',
          k,
          v,
          `origins like "https://d111.cloudfront.net"; "${origin}" is not one`,
        );
      }
      return origin;
    });
  },
  openRangeCapBytes: (k, v, _, p) => {
    p.openRangeCapBytes = int(k, v, 1, LAMBDA_STREAM_MAX_BYTES);
  },
  maxResponseBytes: (k, v, _, p) => {
    p.maxResponseBytes = int(k, v, 1, LAMBDA_STREAM_MAX_BYTES);
  },
  maxRangeParts: (k, v, _, p) => {
    p.maxRangeParts = int(k, v, 1, 1000);
  },
  defaultCacheControl: (k, v, _, p) => {
    p.defaultCacheControl = match(k, v, /^[\x21-\x7e][\x20-\x7e]*$/, 'a Cache-Control value (visible ASCII)');
  },
  presignExpiresSeconds: (k, v, _, p) => {
    p.presignExpiresSeconds = int(k, v, 1, 604_800);
  },
  plainGetRedirect: (k, v, _, p) => {
    const mode = match(k, v, /^(presigned-s3|off)$/, '"presigned-s3" or "off"');
    p.plainGetRedirect = mode === 'presigned-s3' ? 'presigned-s3' : 'off';
  },
  plainGetRedirectMinBytes: (k, v, _, p) => {
    p.plainGetRedirectMinBytes = int(k, v, 1, LAMBDA_STREAM_MAX_BYTES);
  },
  plainGetRedirectExpiresSeconds: (k, v, _, p) => {
    p.plainGetRedirectExpiresSeconds = int(k, v, 1, 604_800);
  },
  s3ConnectTimeoutMs: (k, v, _, p) => {
    p.s3ConnectTimeoutMs = int(k, v, 1, 60_000);
  },
  s3FirstByteTimeoutMs: (k, v, _, p) => {
    p.s3FirstByteTimeoutMs = int(k, v, 1, 60_000);
  },
  s3IdleTimeoutMs: (k, v, _, p) => {
    p.s3IdleTimeoutMs = int(k, v, 1, 120_000);
  },
  resumeAttempts: (k, v, _, p) => {
    p.resumeAttempts = int(k, v, 0, 100);
  },
  memorySize: (k, v, _, p) => {
    const memorySize = int(k, v, 128, LAMBDA_MAX_MEMORY_MB);
    if (memorySize < MIN_FUNCTION_MEMORY_MB) {
      throw new ConfigError(
        'context key',
        k,
        v,
        `at least ${MIN_FUNCTION_MEMORY_MB} (MB): the function's measured peak RSS is ${MEASURED_PEAK_RSS_MB} MB ` +
          `(docs/performance.md) and it needs ${MEMORY_HEADROOM_FACTOR}x that`,
      );
    }
    p.memorySize = memorySize;
  },
  timeoutSeconds: (k, v, _, p) => {
    p.timeout = Duration.seconds(int(k, v, 1, 900));
  },
  logRetentionDays: (k, v, _, p) => {
    const days = int(k, v, 1, 9999);
    if (!RETENTION_DAYS.has(days)) {
      throw new ConfigError(
        'context key',
        k,
        v,
        `one of ${[...RETENTION_DAYS].join(', ')} (CloudWatch retention days)`,
      );
    }
    p.logRetention = days as logs.RetentionDays;
  },
  logLevel: (k, v, _, p) => {
    p.logLevel = oneOf(k, v, LOG_LEVELS);
  },
  cacheMinTtlSeconds: (k, v, _, p) => {
    p.cacheMinTtl = Duration.seconds(int(k, v, 0, 31_536_000));
  },
  cacheDefaultTtlSeconds: (k, v, _, p) => {
    p.cacheDefaultTtl = Duration.seconds(int(k, v, 0, 31_536_000));
  },
  cacheMaxTtlSeconds: (k, v, _, p) => {
    p.cacheMaxTtl = Duration.seconds(int(k, v, 0, 31_536_000));
  },
  rangeInCacheKey: (k, v, _, p) => {
    p.rangeInCacheKey = bool(k, v);
  },
  originReadTimeoutSeconds: (k, v, _, p) => {
    p.originReadTimeout = Duration.seconds(int(k, v, 1, 900));
  },
  originKeepaliveTimeoutSeconds: (k, v, _, p) => {
    p.originKeepaliveTimeout = Duration.seconds(int(k, v, 1, 900));
  },
  priceClass: (k, v, _, p) => {
    const name = oneOf(k, v, Object.keys(PRICE_CLASSES));
    p.priceClass = PRICE_CLASSES[name] ?? cloudfront.PriceClass.PRICE_CLASS_100;
  },
  domainNames: (k, v, _, p) => {
    p.domainNames = list(k, v).map((name) => hostName(k, v, name));
  },
  certificateArn: (k, v, out) => {
    out.certificateArn = match(
      k,
      v,
      /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]+$/,
      'an ACM certificate ARN in us-east-1 (CloudFront only uses certificates from us-east-1)',
    );
  },
  accessLogging: (k, v, _, p) => {
    p.accessLogging = bool(k, v);
  },
  webAclId: (k, v, _, p) => {
    p.webAclId = match(
      k,
      v,
      /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[A-Za-z0-9-]+$/,
      'a WAFv2 web ACL ARN with scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)',
    );
  },
  reservedConcurrency: (k, v, _, p) => {
    // The upper bound depends on the account's quota (accountConcurrency): the construct checks it.
    p.reservedConcurrency =
      v === 'none' ? 'none' : intOr(k, v, 1, Number.MAX_SAFE_INTEGER, '"none" or an integer from 1');
  },
  accountConcurrency: (k, v, _, p) => {
    p.accountConcurrency = int(k, v, 1, Number.MAX_SAFE_INTEGER);
  },
  alarmEmail: (k, v, _, p) => {
    p.alarmEmail = match(k, v, ALARM_EMAIL_PATTERN, 'an email address (name@example.com)');
  },
  alarmTopicArn: (k, v, out) => {
    out.alarmTopicArn = match(k, v, /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'an SNS topic ARN');
  },
};

/** The context keys this app understands (for docs and error messages). */
export const CONTEXT_KEYS: readonly string[] = Object.keys(READERS);

/**
 * Context keys that belong to the CDK itself or its tooling: feature flags (`@aws-cdk/...`), CLI settings
 * (`aws:cdk:...`), cached lookups (`availability-zones:...`) all contain `:`. The few colon-free ones the
 * CDK CLI writes are listed here.
 */
const FOREIGN_PLAIN_KEYS = new Set(['acknowledged-issue-numbers']);

/** Parses the whole context (e.g. `app.node.getAllContext()`) into validated settings. */
export function parseContext(context: Readonly<Record<string, unknown>>): MediaOriginAppSettings {
  const out: Writable<Partial<MediaOriginAppSettings>> = {};
  const props: PlainProps = {};
  for (const [key, raw] of Object.entries(context)) {
    const reader = READERS[key];
    if (reader === undefined) {
      rejectIfOurs(key, raw);
      continue;
    }
    // `-c key=` (empty) means "not set": fall back to the default rather than fail on an empty string.
    if (raw === undefined || raw === null || raw === '') continue;
    reader(key, raw, out, props);
  }
  if ((out.certificateArn === undefined) !== (props.domainNames === undefined)) {
    const key = out.certificateArn === undefined ? 'certificateArn' : 'domainNames';
    throw new ConfigError('context key', key, undefined, 'domainNames and certificateArn must be set together');
  }
  if (out.bucketKmsKeyArn !== undefined && out.bucketName === undefined) {
    throw new ConfigError('context key', 'bucketName', undefined, 'bucketKmsKeyArn applies to an existing bucket only');
  }
  if (props.alarmEmail !== undefined && out.alarmTopicArn !== undefined) {
    throw new ConfigError(
      'context key',
      'alarmEmail',
      props.alarmEmail,
      'alarmEmail and alarmTopicArn exclude each other',
    );
  }
  if (props.bucketVersioned === true && out.bucketName !== undefined) {
    throw new ConfigError('context key', 'bucketVersioned', true, 'bucketVersioned applies to a new bucket only');
  }
  return { ...out, stackName: out.stackName ?? DEFAULT_STACK_NAME, props };
}

function rejectIfOurs(key: string, raw: unknown): void {
  if (key.includes(':') || key.startsWith('@') || FOREIGN_PLAIN_KEYS.has(key)) return;
  const close = CONTEXT_KEYS.find(
    (known) => known.toLowerCase() === key.toLowerCase() || editDistance(known, key) <= 2,
  );
  const hint = close === undefined ? `known keys: ${CONTEXT_KEYS.join(', ')}` : `did you mean "${close}"?`;
  throw new ConfigError('context key', key, raw, `unknown key (${hint})`);
}

function str(key: string, raw: unknown): string {
  if (typeof raw !== 'string') throw new ConfigError('context key', key, raw, 'a string');
  return raw;
}

function match(key: string, raw: unknown, pattern: RegExp, expectation: string): string {
  const value = str(key, raw);
  if (!pattern.test(value)) throw new ConfigError('context key', key, raw, expectation);
  return value;
}

function oneOf(key: string, raw: unknown, allowed: readonly string[]): string {
  const value = str(key, raw);
  if (!allowed.includes(value)) throw new ConfigError('context key', key, raw, `one of ${allowed.join(', ')}`);
  return value;
}

function bool(key: string, raw: unknown): boolean {
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new ConfigError('context key', key, raw, 'true or false');
}

function int(key: string, raw: unknown, min: number, max: number): number {
  return intOr(
    key,
    raw,
    min,
    max,
    max === Number.MAX_SAFE_INTEGER ? `an integer from ${min}` : `an integer from ${min} to ${max}`,
  );
}

function intOr(key: string, raw: unknown, min: number, max: number, expectation: string): number {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError('context key', key, raw, expectation);
  }
  return value;
}

/** A JSON array of strings, or a comma-separated string (the only way to pass a list with `-c`). */
function list(key: string, raw: unknown): string[] {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
  if (items === undefined || !items.every((item): item is string => typeof item === 'string')) {
    throw new ConfigError('context key', key, raw, 'a comma-separated string or an array of strings');
  }
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** S3 bucket naming rules (general purpose buckets). */
function bucketName(key: string, raw: unknown): string {
  const value = match(key, raw, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (3-63 of a-z 0-9 . -)');
  if (value.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(value)) {
    throw new ConfigError('context key', key, raw, 'an S3 bucket name (no "..", not an IP address)');
  }
  return value;
}

/**
 * A key prefix the IAM policy can scope exactly: empty, or relative segments ending with "/" (so `media/` does
 * not also grant `media-private/...`), without IAM wildcards (`*`, `?`), dot segments or control characters.
 */
function keyPrefix(key: string, raw: unknown): string {
  const value = str(key, raw);
  const segments = value.split('/').slice(0, -1);
  const valid =
    value.length <= 512 &&
    value.endsWith('/') &&
    !value.startsWith('/') &&
    !/[*?\\\p{Cc}]/u.test(value) &&
    segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (!valid) {
    throw new ConfigError(
      'context key',
      key,
      raw,
      'a key prefix like "media/" (ends with "/", no leading "/", no empty, "." or ".." segments, no * ? \\ or control characters)',
    );
  }
  return value;
}

function isOrigin(origin: string): boolean {
  try {
    return new URL(origin).origin === origin && /^https?:/.test(origin);
  } catch {
    return false;
  }
}

/** `*` alone, or exact origins (`scheme://host[:port]`, no path, no trailing slash) as browsers send them. */
function corsOrigins(key: string, raw: unknown): string[] {
  const origins = list(key, raw);
  if (origins.length === 1 && origins[0] === '*') return origins;
  for (const origin of origins) {
    let canonical: string | undefined;
    try {
      canonical = new URL(origin).origin;
    } catch {
      canonical = undefined;
    }
    if (canonical !== origin || !/^https?:/.test(origin)) {
      throw new ConfigError(
        'context key',
        key,
        raw,
        `"*" or origins like "https://player.example" (scheme://host[:port], lower case, no path); "${origin}" is not one`,
      );
    }
  }
  return origins;
}

function hostName(key: string, raw: unknown, name: string): string {
  const label = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
  if (!new RegExp(`^(\\*\\.)?(${label}\\.)+${label}$`).test(name) || name.length > 253) {
    throw new ConfigError('context key', key, raw, `lower-case DNS names; "${name}" is not one`);
  }
  return name;
}

/** Levenshtein distance, for "did you mean" on typo'd keys. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
