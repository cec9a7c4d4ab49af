/**
 * Per-request counters as CloudWatch Embedded Metric Format (Powertools Metrics): the failures a viewer cannot
 * report (a truncated transfer looks like a network error to a player) must be countable and alarmable, not only
 * searchable ("log it, count it").
 *
 * The EMF document is returned, not printed: the handler merges it into the request's one log line, so each
 * request writes ONE line that is both the structured log entry and the metrics (one serialisation and
 * one stdout write instead of two, and one log event to ingest). CloudWatch extracts metrics from any JSON log
 * event with an `_aws` member at its root; the other members stay searchable properties.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RequestLogEntry } from './request-log.ts';

/** One of Powertools' unit names, e.g. MetricUnit.Count. */
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** An EMF document: the `_aws` directive plus the dimension and metric values at its root. */
export type EmfDocument = { readonly _aws: object } & Readonly<Record<string, unknown>>;

/** The part of Powertools' Metrics this module uses (a test passes a recorder). */
export interface MetricsSink {
  addMetric(name: string, unit: Unit, value: number): void;
  serializeMetrics(): EmfDocument;
  clearMetrics(): void;
  /** POWERTOOLS_METRICS_DISABLED (or POWERTOOLS_DEV): then no document is produced. */
  isDisabled(): boolean;
}

/**
 * Adds the request's counters and returns them as one EMF document, or undefined when metrics are disabled (the
 * sink is left empty for the next request either way).
 */
export function requestMetricsDocument(metrics: MetricsSink, entry: RequestLogEntry): EmfDocument | undefined {
  if (metrics.isDisabled()) return undefined;
  metrics.addMetric('Requests', MetricUnit.Count, 1);
  metrics.addMetric('BytesSent', MetricUnit.Bytes, entry.bytesSent);
  metrics.addMetric('S3Requests', MetricUnit.Count, entry.s3Requests);
  if (entry.resumes > 0) metrics.addMetric('S3Resumes', MetricUnit.Count, entry.resumes);
  if (entry.outcome === 'truncated') metrics.addMetric('TruncatedResponses', MetricUnit.Count, 1);
  if (entry.outcome === 'aborted') metrics.addMetric('AbortedResponses', MetricUnit.Count, 1);
  if (entry.redirect === 'plain-get') metrics.addMetric('PlainGetRedirects', MetricUnit.Count, 1);
  if (entry.redirect === 'over-budget') metrics.addMetric('OverBudgetRedirects', MetricUnit.Count, 1);
  if (entry.status >= 500) metrics.addMetric('ServerErrors', MetricUnit.Count, 1);
  // One document per request: a streaming invocation has no "end of handler" hook after the body closes.
  const document = metrics.serializeMetrics();
  metrics.clearMetrics();
  return document;
}
