/**
 * Per-request counters as CloudWatch Embedded Metric Format (Powertools Metrics), next to the one log line:
 * the failures a viewer cannot report (a truncated transfer looks like a network error to a player) must be
 * countable and alarmable, not only searchable (issue #5: "log it, count it").
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';

/** One of Powertools' unit names, e.g. MetricUnit.Count. */
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

import type { RequestLogEntry } from './request-log.ts';

/** The part of Powertools' Metrics this module uses (a test passes a recorder). */
export interface MetricsSink {
  addMetric(name: string, unit: Unit, value: number): void;
  publishStoredMetrics(): void;
}

export function recordRequestMetrics(metrics: MetricsSink, entry: RequestLogEntry): void {
  metrics.addMetric('Requests', MetricUnit.Count, 1);
  metrics.addMetric('BytesSent', MetricUnit.Bytes, entry.bytesSent);
  metrics.addMetric('S3Requests', MetricUnit.Count, entry.s3Requests);
  if (entry.resumes > 0) metrics.addMetric('S3Resumes', MetricUnit.Count, entry.resumes);
  if (entry.outcome === 'truncated') metrics.addMetric('TruncatedResponses', MetricUnit.Count, 1);
  if (entry.outcome === 'aborted') metrics.addMetric('AbortedResponses', MetricUnit.Count, 1);
  if (entry.redirect === 'plain-get') metrics.addMetric('PlainGetRedirects', MetricUnit.Count, 1);
  if (entry.redirect === 'over-budget') metrics.addMetric('OverBudgetRedirects', MetricUnit.Count, 1);
  if (entry.status >= 500) metrics.addMetric('ServerErrors', MetricUnit.Count, 1);
  // One EMF document per request: a streaming invocation has no "end of handler" hook after the body closes.
  metrics.publishStoredMetrics();
}
