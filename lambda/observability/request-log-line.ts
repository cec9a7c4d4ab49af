/**
 * What the handler logs for a request, as ONE line: the entry's fields, the error behind a failure,
 * and the request's EMF metrics document (request-metrics.ts) at the line's root, where CloudWatch extracts
 * metrics from (`_aws`). `error` level for 5xx answers and truncated bodies, `info` otherwise. Its fields
 * carry no query and no cookie (request-log.ts); the error behind a failure is redacted (redact.ts) in case a
 * message quotes a URL.
 */
import { redactError } from './redact.ts';
import type { RequestLogEntry } from './request-log.ts';
import { type MetricsSink, requestMetricsDocument } from './request-metrics.ts';

export interface RequestLogLine {
  readonly level: 'info' | 'error';
  readonly attributes: Readonly<Record<string, unknown>>;
}

export function requestLogLine(entry: RequestLogEntry, metrics: MetricsSink): RequestLogLine {
  const { error, ...fields } = entry;
  // The EMF dimension `service` is left to the Logger, which writes its own `service` at the root of every line
  // (and would drop ours with a WARN line per request): both take it from POWERTOOLS_SERVICE_NAME (same default),
  // which the unit test checks with the real Powertools classes.
  const { service: _writtenByTheLogger, ...document }: Readonly<Record<string, unknown>> =
    requestMetricsDocument(metrics, entry) ?? {};
  return {
    level: entry.status >= 500 || entry.outcome === 'truncated' ? 'error' : 'info',
    attributes: { ...fields, ...document, ...(error === undefined ? {} : { error: redactError(error) }) },
  };
}
