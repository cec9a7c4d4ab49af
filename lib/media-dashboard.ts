/**
 * One CloudWatch dashboard for the origin: the alarms' states and the metrics behind them, plus
 * traffic (requests, bytes served), S3 work (requests, resumes) and, from the request log lines (S3 first-byte
 * time is logged, not emitted as a metric), S3 first-byte and request duration percentiles.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { MediaAlarms } from './media-alarms.ts';

export interface MediaDashboardProps {
  readonly alarms: MediaAlarms;
  readonly function: lambda.IFunction;
  /** The function's log group (request log lines: `"message":"request"`). */
  readonly logGroup: logs.ILogGroup;
  readonly timeout: Duration;
  readonly concurrencyCeiling: number;
}

/** Logs Insights over the request log lines (lambda/observability/request-log.ts). */
export const REQUEST_LATENCY_QUERY = [
  'filter message = "request"',
  'stats pct(s3FirstByteMs, 50) as s3FirstByteP50, pct(s3FirstByteMs, 99) as s3FirstByteP99, ' +
    'pct(durationMs, 50) as durationP50, pct(durationMs, 99) as durationP99 by bin(5m)',
];

export class MediaDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MediaDashboardProps) {
    super(scope, id);
    const { alarms, function: fn } = props;
    const emf = alarms.emf;
    const period = Duration.minutes(5);
    const width = 12;
    const height = 6;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      periodOverride: cloudwatch.PeriodOverride.AUTO,
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: Object.values(alarms.alarms),
        width: 24,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests and 5xx',
        left: [emf.requests, emf.serverErrors],
        right: [alarms.serverErrorRatio],
        rightYAxis: { min: 0, max: 100, label: '%', showUnits: false },
        rightAnnotations: [alarms.alarms.serverErrorRatio.toAnnotation()],
        width,
        height,
      }),
      new cloudwatch.GraphWidget({
        title: 'Bytes served',
        left: [emf.bytesSent],
        width,
        height,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Truncated and aborted bodies',
        left: [emf.truncatedResponses, emf.abortedResponses],
        right: [alarms.abortedRatio],
        rightYAxis: { min: 0, max: 100, label: '%', showUnits: false },
        rightAnnotations: [alarms.alarms.abortedRatio.toAnnotation()],
        width,
        height,
      }),
      new cloudwatch.GraphWidget({
        title: 'S3 requests and resumes',
        left: [emf.s3Requests],
        right: [emf.s3Resumes],
        width,
        height,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Lambda duration (timeout ${props.timeout.toSeconds()} s)`,
        left: [
          fn.metricDuration({ period, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
          fn.metricDuration({ period, statistic: cloudwatch.Stats.p(99), label: 'p99' }),
        ],
        leftAnnotations: [
          alarms.alarms.durationP99.toAnnotation(),
          { value: props.timeout.toMilliseconds(), label: 'timeout', color: cloudwatch.Color.RED },
        ],
        width,
        height,
      }),
      new cloudwatch.GraphWidget({
        title: `Concurrency (ceiling ${props.concurrencyCeiling}) and throttles`,
        left: [
          fn.metric('ConcurrentExecutions', {
            period: Duration.minutes(1),
            statistic: cloudwatch.Stats.MAXIMUM,
            label: 'concurrent executions (max)',
          }),
        ],
        leftAnnotations: [
          alarms.alarms.concurrency.toAnnotation(),
          { value: props.concurrencyCeiling, label: 'ceiling', color: cloudwatch.Color.RED },
        ],
        right: [fn.metricThrottles({ period, statistic: cloudwatch.Stats.SUM, label: 'throttles' })],
        width,
        height,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Lambda invocations and errors',
        left: [fn.metricInvocations({ period, statistic: cloudwatch.Stats.SUM })],
        right: [fn.metricErrors({ period, statistic: cloudwatch.Stats.SUM })],
        width,
        height,
      }),
      new cloudwatch.LogQueryWidget({
        title: 'S3 first byte and request duration, ms (request log lines)',
        logGroupNames: [props.logGroup.logGroupName],
        queryLines: REQUEST_LATENCY_QUERY,
        view: cloudwatch.LogQueryVisualizationType.LINE,
        width,
        height,
      }),
    );
  }
}
