/**
 * Function URL event (payload format 2.0) -> the RequestFacts the pure HTTP layer reads. Header names are
 * lower-cased (the platform already sends them lower-case and joins repeated headers with commas; this keeps
 * the contract if another transport does not), the query is decoded with first-value-wins.
 * Null-prototype records: a header or parameter named `__proto__` is just data.
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { RequestFacts } from './http/types.ts';

export function requestFromEvent(event: LambdaFunctionURLEvent): RequestFacts {
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const previous = headers[lower];
    headers[lower] = previous === undefined ? value : `${previous}, ${value}`;
  }
  const query: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) {
    if (query[name] === undefined) query[name] = value;
  }
  return { method: event.requestContext.http.method.toUpperCase(), headers, query };
}
