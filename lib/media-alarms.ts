/**
 * The alarms ops need for what viewers cannot report: 5xx, truncated and aborted bodies (the
 * function's EMF metrics, lib/origin-metrics.ts), and Lambda's own Throttles, Duration and ConcurrentExecutions.
 * Thresholds, periods and missing-data treatment are in ALARM_SETTINGS, one place, quoted by the README.
 *
 * Hand-written on aws-cdk-lib's CloudWatch constructs rather than cdk-monitoring-constructs: two of the six are
 * ratios over the function's own EMF metrics with a minimum-traffic guard, and two take their thresholds from
 * the function's timeout and reserved concurrency; the library would need custom metric math for the former and
 * adds its own naming, three dashboards and a 10 MB dependency (docs/decisions/hand-written-alarms.md).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ORIGIN_METRIC, ORIGIN_METRICS_NAMESPACE, ORIGIN_METRICS_SERVICE_DIMENSION } from './origin-metrics.ts';

/** Ratio alarms stay quiet below this many requests per period: 1 failure in 2 requests is not a 50 % outage. */
export const RATIO_MIN_REQUESTS = 10;

/**
 * Every alarm's settings. `notBreaching` everywhere: the counters are sparse (emitted only when non-zero) and a
 * period without traffic has no data at all, which means nothing went wrong.
 */
export const ALARM_SETTINGS = {
  /** % of requests answered 5xx, per 5 min, 2 of the last 3 periods (a brief S3 blip does not page). */
  serverErrorRatio: { percent: 5, period: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 2 },
  /** Any truncated body in 5 min: each is a viewer's broken transfer after every resume failed. */
  truncatedResponses: { count: 1, period: Duration.minutes(5), evaluationPeriods: 1, datapointsToAlarm: 1 },
  /**
   * % of responses cut off by the viewer side, per 5 min, all of the last 3 periods. Players drop connections
   * on seeks and when they have enough, so some aborts are normal; a sustained majority is not (streams cut by
   * CloudFront's origin read timeout, or viewers giving up on slow starts).
   */
  abortedRatio: { percent: 50, period: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 3 },
  /** Any throttled invocation in 5 min: a viewer was refused because the reserved concurrency was full. */
  throttles: { count: 1, period: Duration.minutes(5), evaluationPeriods: 1, datapointsToAlarm: 1 },
  /** Duration p99 at or above this share of the timeout, per 5 min, 2 of the last 3 periods. */
  durationP99: { timeoutShare: 0.8, period: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 2 },
  /** Peak concurrency at or above this share of the ceiling, per minute, 3 of the last 5 minutes. */
  concurrency: { ceilingShare: 0.8, period: Duration.minutes(1), evaluationPeriods: 5, datapointsToAlarm: 3 },
} as const;

export interface MediaAlarmsProps {
  readonly function: lambda.IFunction;
  /** The function's timeout: the Duration alarm's 100 %. */
  readonly timeout: Duration;
  /** The concurrency the function can reach (reserved, or the account quota): the concurrency alarm's 100 %. */
  readonly concurrencyCeiling: number;
  /** POWERTOOLS_SERVICE_NAME: the value of the EMF metrics' `service` dimension. */
  readonly serviceName: string;
  /** Alarm and OK notifications go here. @default - none (the alarms still exist and show on the dashboard) */
  readonly topic?: sns.ITopic;
}

/** The six alarms, by what they watch. */
export interface OriginAlarms {
  readonly serverErrorRatio: cloudwatch.Alarm;
  readonly truncatedResponses: cloudwatch.Alarm;
  readonly abortedRatio: cloudwatch.Alarm;
  readonly throttles: cloudwatch.Alarm;
  readonly durationP99: cloudwatch.Alarm;
  readonly concurrency: cloudwatch.Alarm;
}

export class MediaAlarms extends Construct {
  readonly alarms: OriginAlarms;
  /** The function's EMF metrics (Sum per 5 min), for the dashboard. */
  readonly emf: Readonly<Record<keyof typeof ORIGIN_METRIC, cloudwatch.Metric>>;
  /** The ratio expressions the alarms evaluate, for the dashboard. */
  readonly serverErrorRatio: cloudwatch.MathExpression;
  readonly abortedRatio: cloudwatch.MathExpression;

  constructor(scope: Construct, id: string, props: MediaAlarmsProps) {
    super(scope, id);
    const S = ALARM_SETTINGS;
    const fn = props.function;
    this.emf = emfMetrics(props.serviceName, Duration.minutes(5));
    this.serverErrorRatio = ratio('5xx % of requests', this.emf.serverErrors, this.emf.requests, S.serverErrorRatio);
    this.abortedRatio = ratio('aborted % of requests', this.emf.abortedResponses, this.emf.requests, S.abortedRatio);
    const timeoutMs = props.timeout.toMilliseconds();
    const concurrencyThreshold = Math.ceil(props.concurrencyCeiling * S.concurrency.ceilingShare);

    this.alarms = {
      serverErrorRatio: this.serverErrorRatio.createAlarm(this, 'ServerErrorRatio', {
        alarmDescription:
          `More than ${S.serverErrorRatio.percent}% of requests were answered 5xx (EMF ServerErrors / Requests, ` +
          `periods with at least ${RATIO_MIN_REQUESTS} requests). Viewers get errors: see docs/operations.md#runbook, "502"/"504".`,
        threshold: S.serverErrorRatio.percent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        ...evaluation(S.serverErrorRatio),
      }),
      truncatedResponses: this.emf.truncatedResponses.createAlarm(this, 'TruncatedResponses', {
        alarmDescription:
          'A response body was cut short after every S3 resume failed (EMF TruncatedResponses). The viewer saw a ' +
          'network error mid-playback. Check S3 errors and the function log lines with "outcome":"truncated".',
        threshold: S.truncatedResponses.count,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...evaluation(S.truncatedResponses),
      }),
      abortedRatio: this.abortedRatio.createAlarm(this, 'AbortedRatio', {
        alarmDescription:
          `More than ${S.abortedRatio.percent}% of responses were abandoned by the viewer side for 15 minutes ` +
          '(EMF AbortedResponses / Requests). Check CloudFront 504s (origin read timeout) and slow first bytes.',
        threshold: S.abortedRatio.percent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        ...evaluation(S.abortedRatio),
      }),
      throttles: fn
        .metricThrottles({ period: S.throttles.period, statistic: cloudwatch.Stats.SUM })
        .createAlarm(this, 'Throttles', {
          alarmDescription:
            'Lambda throttled invocations: the reserved concurrency was full and viewers were refused. Raise ' +
            'reservedConcurrency if the traffic is legitimate; otherwise look for abuse (WAF, access logs).',
          threshold: S.throttles.count,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          ...evaluation(S.throttles),
        }),
      durationP99: fn
        .metricDuration({ period: S.durationP99.period, statistic: cloudwatch.Stats.p(99) })
        .createAlarm(this, 'DurationP99', {
          alarmDescription:
            `Duration p99 reached ${S.durationP99.timeoutShare * 100}% of the ${props.timeout.toSeconds()} s timeout: ` +
            'responses near the timeout end as "Task timed out" (a broken transfer). Check S3 latency and resumes.',
          threshold: Math.round(timeoutMs * S.durationP99.timeoutShare),
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          ...evaluation(S.durationP99),
        }),
      concurrency: fn
        .metric('ConcurrentExecutions', { period: S.concurrency.period, statistic: cloudwatch.Stats.MAXIMUM })
        .createAlarm(this, 'Concurrency', {
          alarmDescription:
            `Concurrent executions reached ${concurrencyThreshold} of ${props.concurrencyCeiling}: throttling is ` +
            'near. Raise reservedConcurrency for legitimate traffic; otherwise look for abuse.',
          threshold: concurrencyThreshold,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          ...evaluation(S.concurrency),
        }),
    };

    if (props.topic !== undefined) {
      const action = new actions.SnsAction(props.topic);
      for (const alarm of Object.values(this.alarms)) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }
}

interface Evaluation {
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

function evaluation(
  settings: Evaluation,
): Pick<cloudwatch.CreateAlarmOptions, 'evaluationPeriods' | 'datapointsToAlarm' | 'treatMissingData'> {
  return {
    evaluationPeriods: settings.evaluationPeriods,
    datapointsToAlarm: settings.datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
}

/** The function's EMF metrics as CloudWatch sees them: namespace, `service` dimension, Sum per period. */
export function emfMetrics(
  serviceName: string,
  period: Duration,
): Readonly<Record<keyof typeof ORIGIN_METRIC, cloudwatch.Metric>> {
  const entries = Object.entries(ORIGIN_METRIC).map(([key, metricName]) => [
    key,
    new cloudwatch.Metric({
      namespace: ORIGIN_METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { [ORIGIN_METRICS_SERVICE_DIMENSION]: serviceName },
      statistic: cloudwatch.Stats.SUM,
      period,
    }),
  ]);
  return Object.fromEntries(entries) as Record<keyof typeof ORIGIN_METRIC, cloudwatch.Metric>;
}

/**
 * `part` as a % of `whole`, 0 below RATIO_MIN_REQUESTS. FILL(part, 0): the sparse counter has no datapoint in a
 * period without failures. No requests at all: no datapoint, treated as not breaching.
 */
function ratio(
  label: string,
  part: cloudwatch.Metric,
  whole: cloudwatch.Metric,
  settings: Evaluation,
): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `IF(whole >= ${RATIO_MIN_REQUESTS}, 100 * FILL(part, 0) / whole, 0)`,
    usingMetrics: { part, whole },
    label,
    period: settings.period,
  });
}
