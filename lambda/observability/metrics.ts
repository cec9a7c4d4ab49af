/**
 * The one Powertools Metrics instance (CloudWatch Embedded Metric Format, carried by the request's log line: see
 * request-metrics.ts). Like the logger it reads its own settings (POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_DISABLED) from the environment; the namespace defaults to MediaOrigin.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Powertools' Metrics with its own disabled switch public: the log line then carries no EMF document. */
export class OriginMetrics extends Metrics {
  public override isDisabled(): boolean {
    return super.isDisabled();
  }
}

export const metrics = new OriginMetrics({ namespace: 'MediaOrigin' });
