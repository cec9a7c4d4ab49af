/**
 * ResponsePlan -> the middy streaming response `{ statusCode, headers, body }`, with `body` a Readable that
 * emits exactly the bytes the plan promises. Everything that can still fail with a proper status (re-reading
 * the slice the plan needs, opening the first multipart part, presigning) happens here, BEFORE the response is
 * returned and its status line written; after that, failures are the body's to resume or to end visibly.
 *
 * Ownership: the first S3 body (`first`) is handed over and is either used or destroyed on every path, as is
 * every body opened here (aws-sdk-js-v3 #6691).
 */
import { Readable } from 'node:stream';
import type { ByteRange, ResponsePlan, TextPlan } from '../http/types.ts';
import { discard } from '../storage/discard-body.ts';
import { type OpenedBody, type OpenRange, ResumableBody, type ResumeEvent } from '../storage/resumable-body.ts';
import { type Segment, SequenceBody } from './sequence-body.ts';

export interface StreamingResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Readable;
}

export interface BuiltResponse extends StreamingResponse {
  /** Exactly how many bytes `body` must emit (0 for HEAD, even though its Content-Length describes the GET). */
  readonly expectedBytes: number;
}

export interface BuildResponseOptions {
  /** The first S3 body and the slice it carries; ownership passes to buildResponse. */
  readonly first: OpenedBody | undefined;
  /** Pinned ranged GetObject (If-Match = the ETag of the facts the plan was made from). */
  readonly openRange: OpenRange;
  /** Presigned URL for the request's method (redirect plans only). */
  readonly presign: () => Promise<string>;
  readonly resumeAttempts: number;
  readonly idleTimeoutMs: number;
  readonly backoffMs?: (attempt: number) => number;
  readonly onResume?: (event: ResumeEvent) => void;
}

/** Thrown when a plan's Content-Length disagrees with its body: a planning bug, caught before any byte. */
export class PlanLengthError extends Error {
  override readonly name = 'PlanLengthError';
}

const length = (range: ByteRange): number => range.end - range.start + 1;
const emptyBody = (): Readable => Readable.from([]);

/** True when `opened` starts exactly at range.start and covers the range: it can be used as is. */
function fits(opened: OpenedBody | undefined, range: ByteRange): opened is OpenedBody {
  return opened?.servedRange != null && opened.servedRange.start === range.start && opened.servedRange.end >= range.end;
}

function checkContentLength(headers: Readonly<Record<string, string>>, expected: number): void {
  const declared = headers['content-length'];
  if (declared !== undefined && declared !== String(expected)) {
    throw new PlanLengthError(`plan declares content-length ${declared} but its body has ${expected} bytes`);
  }
}

/** A text answer (errors): the body is the UTF-8 text, already counted in the plan's content-length. */
export function buildTextResponse(plan: TextPlan): BuiltResponse {
  const bytes = Buffer.from(plan.body.text, 'utf8');
  checkContentLength(plan.headers, bytes.length);
  return {
    statusCode: plan.status,
    headers: { ...plan.headers },
    body: Readable.from([bytes]),
    expectedBytes: bytes.length,
  };
}

export async function buildResponse(plan: ResponsePlan, options: BuildResponseOptions): Promise<BuiltResponse> {
  let first = options.first;
  /** Takes the first body if it fits `range`; otherwise releases it (before any new read takes a socket). */
  const takeFirst = (range: ByteRange): OpenedBody | undefined => {
    const taken = fits(first, range) ? first : undefined;
    if (taken === undefined) discard(first?.body);
    first = undefined;
    return taken;
  };
  const resumable = (range: ByteRange, opened: OpenedBody | undefined): ResumableBody =>
    new ResumableBody({
      range,
      ...(opened === undefined ? {} : { first: opened }),
      open: options.openRange,
      resumeAttempts: options.resumeAttempts,
      idleTimeoutMs: options.idleTimeoutMs,
      ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
      ...(options.onResume === undefined ? {} : { onResume: options.onResume }),
    });

  try {
    const headers = { ...plan.headers };
    switch (plan.body.kind) {
      case 'none':
        return { statusCode: plan.status, headers, body: emptyBody(), expectedBytes: 0 };
      case 'redirect': {
        discard(first?.body);
        first = undefined;
        headers.location = await options.presign();
        return { statusCode: plan.status, headers, body: emptyBody(), expectedBytes: 0 };
      }
      case 'single': {
        const range = plan.body.range;
        const expected = range === null ? 0 : length(range);
        checkContentLength(headers, expected);
        if (range === null) return { statusCode: plan.status, headers, body: emptyBody(), expectedBytes: 0 };
        // Reuse the first body when it carries exactly this slice (plain GET, single range: one S3 request);
        // otherwise re-read the needed slice pinned to the same version.
        const opened = takeFirst(range) ?? (await options.openRange(range));
        return { statusCode: plan.status, headers, body: resumable(range, opened), expectedBytes: expected };
      }
      case 'multipart': {
        const { parts, tail } = plan.body;
        const heads = parts.map((part) => Buffer.from(part.head, 'utf8'));
        const tailBytes = Buffer.from(tail, 'utf8');
        const expected =
          heads.reduce((sum, head) => sum + head.length, 0) +
          parts.reduce((sum, part) => sum + length(part.range), 0) +
          tailBytes.length;
        checkContentLength(headers, expected);
        const segments: Segment[] = [];
        for (const [index, part] of parts.entries()) {
          const head = heads[index];
          if (head !== undefined) segments.push(head);
          if (index === 0) {
            // The first part is opened now, so a vanished or changed object still gets a proper status.
            const opened = takeFirst(part.range) ?? (await options.openRange(part.range));
            segments.push(resumable(part.range, opened));
          } else {
            // Later parts are opened lazily, one at a time, when the sequence reaches them.
            segments.push(() => resumable(part.range, undefined));
          }
        }
        segments.push(tailBytes);
        return { statusCode: plan.status, headers, body: new SequenceBody(segments), expectedBytes: expected };
      }
      default: {
        const unknown: never = plan.body;
        throw new TypeError(`unknown plan body ${JSON.stringify(unknown)}`);
      }
    }
  } finally {
    discard(first?.body);
  }
}
