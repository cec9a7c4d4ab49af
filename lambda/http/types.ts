/**
 * The contract between the pure HTTP decision (lambda/http) and the I/O around it (lambda/storage,
 * lambda/respond, lambda/handler.ts). Nothing in lambda/http performs I/O: every function there takes these
 * plain values and returns plain values, so RFC 9110 lives in code that can be tested exhaustively.
 */

/** A request as the HTTP layer sees it. Header names are lower-case; repeated headers are joined with ", ". */
export interface RequestFacts {
  /** Upper-case method, e.g. "GET". */
  readonly method: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Decoded query parameters (first value wins), e.g. `{ download: "clip.mp4" }`. */
  readonly query: Readonly<Record<string, string | undefined>>;
}

/** What the store said about the selected representation (from GetObject or HeadObject response metadata). */
export interface ObjectFacts {
  /** Full object size in bytes (from Content-Range's complete-length, or Content-Length of a full read). */
  readonly size: number;
  /** Entity tag exactly as S3 sends it, quoted, e.g. `"9b2cf535f27731c974343645a3985328"`. */
  readonly etag?: string;
  readonly lastModified?: Date;
  /** Content-Type as stored; may be generic (binary/octet-stream). */
  readonly contentType?: string;
  /** Cache-Control as stored in object metadata. */
  readonly cacheControl?: string;
}

/** An inclusive byte range [start, end] of a representation, already resolved against its size. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** The response plan: status, headers and exactly which bytes to send. Transport writes it verbatim. */
export type ResponsePlan = BodylessPlan | SinglePlan | MultipartPlan | RedirectPlan;

export interface PlanBase {
  readonly status: number;
  /** Final header values, lower-case names. Content-Length is the exact number of body bytes. */
  readonly headers: Readonly<Record<string, string>>;
}

/** 304, 412, 416, 405, HEAD answers, preflights and errors: no body bytes at all. */
export interface BodylessPlan extends PlanBase {
  readonly body: { readonly kind: 'none' };
}

/** 200 or 206 with one contiguous slice of the object. A 200 sends [0, size-1]; an empty object sends nothing. */
export interface SinglePlan extends PlanBase {
  readonly body: { readonly kind: 'single'; readonly range: ByteRange | null };
}

/** 206 multipart/byteranges: for each part, `head` then the part's bytes; after the last part, `tail`. */
export interface MultipartPlan extends PlanBase {
  readonly body: {
    readonly kind: 'multipart';
    readonly parts: ReadonlyArray<{ readonly head: string; readonly range: ByteRange }>;
    readonly tail: string;
  };
}

/**
 * The answer would exceed the response budget (Lambda's streamed payload limit): redirect to a short-lived
 * presigned URL. The transport signs it and sets Location; the plan only says so.
 */
export interface RedirectPlan extends PlanBase {
  readonly body: { readonly kind: 'redirect' };
}

/**
 * One syntactically valid `range-spec` of a `bytes` Range header (RFC 9110 14.1.1), before it meets the
 * representation's size: `first-last`, `first-` or `-suffix-length`. Numbers larger than
 * Number.MAX_SAFE_INTEGER are saturated to it (objects are far smaller, so no answer changes).
 */
export type RangeSpec =
  | { readonly kind: 'bounded'; readonly first: number; readonly last: number }
  | { readonly kind: 'open'; readonly first: number }
  | { readonly kind: 'suffix'; readonly length: number };

/**
 * An error answer with a short `text/plain` body (400, 404, 5xx...). Deliberately NOT a member of ResponsePlan:
 * the transport writes `text` (UTF-8, `content-length` already counts its bytes) and nothing else. A HEAD
 * request gets a BodylessPlan with the same headers instead (RFC 9110 9.3.2).
 */
export interface TextPlan extends PlanBase {
  readonly body: { readonly kind: 'text'; readonly text: string };
}
