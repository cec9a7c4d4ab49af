/**
 * The one Powertools Metrics instance (CloudWatch Embedded Metric Format on stdout). Like the logger it reads its
 * own settings (POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_DISABLED) from the
 * environment; the namespace defaults to MediaOrigin.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({ namespace: 'MediaOrigin' });
