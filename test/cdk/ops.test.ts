/**
 * The alarms (metric, statistic, period, threshold, comparison, evaluation, missing data), the
 * dashboard, the notification variants (none, alarmEmail, alarmTopicArn) and the concurrency guard (default,
 * override, removal, bounds), synthesized from CDK context as `cdk deploy -c key=value` passes it.
 */
import { App, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ConfigError } from '../../lib/config-error.ts';
import type { OriginAlarms } from '../../lib/media-alarms.ts';
import { MediaOrigin } from '../../lib/media-origin.ts';
import type { MediaOriginProps } from '../../lib/media-origin-props.ts';
import { logicalId, removeAssemblies, type Synthesized, synthesize } from './support/synth.ts';

afterAll(removeAssemblies);

type Props = Record<string, unknown>;

function propertiesOf({ stack, template }: Synthesized, construct: cloudwatch.Alarm | MediaOrigin['function']): Props {
  const resources = template.toJSON().Resources as Record<string, { Properties: Props }>;
  const resource = resources[logicalId(construct)];
  if (resource === undefined) throw new Error(`${construct.node.path} is not in ${stack.stackName}`);
  return resource.Properties;
}

function alarm(synth: Synthesized, which: keyof OriginAlarms): Props {
  return propertiesOf(synth, synth.stack.origin.alarms.alarms[which]);
}

function resourcesOf(synth: Synthesized, type: string): Props[] {
  return Object.values(synth.template.findResources(type)).map((resource) => resource.Properties as Props);
}

/** The function's reference as the Lambda metrics' FunctionName dimension carries it. */
function functionDimension(synth: Synthesized): unknown {
  return [{ Name: 'FunctionName', Value: { Ref: logicalId(synth.stack.origin.function) } }];
}

/** The MetricStat of one id in a metric-math alarm. */
function metricStat(props: Props, id: string): Props | undefined {
  const metrics = props.Metrics as Props[];
  return metrics.find((metric) => metric.Id === id)?.MetricStat as Props | undefined;
}

const notBreaching = { TreatMissingData: 'notBreaching' };

describe('default stack', () => {
  const synth = synthesize();
  const fn = propertiesOf(synth, synth.stack.origin.function);
  const serviceName = (fn.Environment as { Variables: Record<string, string> }).Variables.POWERTOOLS_SERVICE_NAME;
  const emf = (metricName: string) => ({
    Metric: { Namespace: 'MediaOrigin', MetricName: metricName, Dimensions: [{ Name: 'service', Value: serviceName }] },
    Period: 300,
    Stat: 'Sum',
  });

  test('reserves 100 concurrent executions', () => {
    // Prepare: the default stack
    // Act
    const reserved = fn.ReservedConcurrentExecutions;
    // Assess
    expect(reserved).toBe(100);
  });

  test('creates the six alarms and no topic; alarms notify nobody', () => {
    // Prepare
    const alarms = resourcesOf(synth, 'AWS::CloudWatch::Alarm');
    // Act
    const actions = alarms.map((props) => [props.AlarmActions, props.OKActions]);
    // Assess
    expect(alarms).toHaveLength(6);
    expect(actions).toEqual(alarms.map(() => [undefined, undefined]));
    expect(resourcesOf(synth, 'AWS::SNS::Topic')).toEqual([]);
    expect(resourcesOf(synth, 'AWS::SNS::Subscription')).toEqual([]);
  });

  // The ratio alarms: `part` / `whole` of this service's EMF counters, quiet below 10 requests per period.
  test.each<[string, keyof OriginAlarms, string, Props]>([
    [
      '5xx ratio: ServerErrors / Requests, > 5 % in 2 of 3 five-minute periods',
      'serverErrorRatio',
      'ServerErrors',
      { Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 2 },
    ],
    [
      'aborted ratio: AbortedResponses / Requests, > 50 % in 3 of 3 five-minute periods',
      'abortedRatio',
      'AbortedResponses',
      { Threshold: 50, EvaluationPeriods: 3, DatapointsToAlarm: 3 },
    ],
  ])('%s', (_name, which, part, settings) => {
    // Prepare
    const props = alarm(synth, which);
    // Act
    const expression = (props.Metrics as Props[]).find((metric) => metric.Expression !== undefined);
    // Assess
    expect(serviceName).toBe('media-origin');
    expect(expression?.Expression).toBe('IF(whole >= 10, 100 * FILL(part, 0) / whole, 0)');
    expect(metricStat(props, 'part')).toEqual(emf(part));
    expect(metricStat(props, 'whole')).toEqual(emf('Requests'));
    expect(props).toMatchObject({ ...settings, ComparisonOperator: 'GreaterThanThreshold', ...notBreaching });
  });

  // The single-metric alarms: [alarm, namespace, metric, dimensions, statistic, period, threshold, evaluation].
  const lambdaDimension = functionDimension(synth);
  test.each<[string, keyof OriginAlarms, string, string, unknown, Props]>([
    [
      'truncated bodies: any TruncatedResponses in five minutes',
      'truncatedResponses',
      'MediaOrigin',
      'TruncatedResponses',
      [{ Name: 'service', Value: 'media-origin' }],
      { Statistic: 'Sum', Period: 300, Threshold: 1, EvaluationPeriods: 1, DatapointsToAlarm: 1 },
    ],
    [
      'throttles: any Lambda Throttles of this function in five minutes',
      'throttles',
      'AWS/Lambda',
      'Throttles',
      lambdaDimension,
      { Statistic: 'Sum', Period: 300, Threshold: 1, EvaluationPeriods: 1, DatapointsToAlarm: 1 },
    ],
    [
      'duration: p99 at or above 80 % of the 180 s timeout (144 s) in 2 of 3 five-minute periods',
      'durationP99',
      'AWS/Lambda',
      'Duration',
      lambdaDimension,
      { ExtendedStatistic: 'p99', Period: 300, Threshold: 144_000, EvaluationPeriods: 3, DatapointsToAlarm: 2 },
    ],
    [
      'concurrency: peak ConcurrentExecutions at or above 80 of the 100 reserved in 3 of 5 minutes',
      'concurrency',
      'AWS/Lambda',
      'ConcurrentExecutions',
      lambdaDimension,
      { Statistic: 'Maximum', Period: 60, Threshold: 80, EvaluationPeriods: 5, DatapointsToAlarm: 3 },
    ],
  ])('%s', (_name, which, namespace, metricName, dimensions, settings) => {
    // Prepare
    const props = alarm(synth, which);
    // Act
    const metric = { namespace: props.Namespace, name: props.MetricName, dimensions: props.Dimensions };
    // Assess
    expect(fn.Timeout).toBe(180);
    expect(metric).toEqual({ namespace, name: metricName, dimensions });
    expect(props).toMatchObject({ ...settings, ComparisonOperator: 'GreaterThanOrEqualToThreshold', ...notBreaching });
  });

  test('one dashboard with the alarms, traffic, S3 work, Lambda metrics and the request-log latency query', () => {
    // Prepare
    const [dashboard] = resourcesOf(synth, 'AWS::CloudWatch::Dashboard');
    // Act
    const body = JSON.stringify(synth.stack.resolve(dashboard?.DashboardBody));
    // Assess
    expect(resourcesOf(synth, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    for (const name of [
      'Requests',
      'BytesSent',
      'ServerErrors',
      'TruncatedResponses',
      'AbortedResponses',
      'S3Requests',
      'S3Resumes',
      'Throttles',
      'Duration',
      'ConcurrentExecutions',
      'Invocations',
      'Errors',
    ]) {
      expect(body).toContain(`\\"${name}\\"`);
    }
    for (const which of Object.values(synth.stack.origin.alarms.alarms)) {
      expect(body).toContain(logicalId(which));
    }
    expect(body).toContain('pct(s3FirstByteMs, 99)');
    expect(body).toContain(logicalId(synth.stack.origin.function.logGroup));
  });

  test('the stack outputs the dashboard name', () => {
    // Prepare
    const outputs = synth.template.toJSON().Outputs as Record<string, Props>;
    // Act
    const value = outputs.DashboardName?.Value;
    // Assess
    expect(value).toEqual({ Ref: logicalId(synth.stack.origin.dashboard) });
  });
});

describe('alarmEmail', () => {
  const synth = synthesize({ alarmEmail: 'ops@example.com' });

  test('creates a TLS-only topic with the email subscribed; CloudWatch of this account may publish', () => {
    // Prepare
    const topicId = logicalId(synth.stack.origin.alarmTopic as sns.Topic);
    // Act
    const statements = resourcesOf(synth, 'AWS::SNS::TopicPolicy').flatMap(
      (policy) => (policy.PolicyDocument as { Statement: Props[] }).Statement,
    );
    // Assess
    expect(resourcesOf(synth, 'AWS::SNS::Topic')).toHaveLength(1);
    expect(resourcesOf(synth, 'AWS::SNS::Subscription')).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } }),
    ]);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      ]),
    );
  });

  test('every alarm notifies the topic on ALARM and on OK', () => {
    // Prepare
    const topic = { Ref: logicalId(synth.stack.origin.alarmTopic as sns.Topic) };
    // Act
    const alarms = resourcesOf(synth, 'AWS::CloudWatch::Alarm');
    // Assess
    expect(alarms).toHaveLength(6);
    for (const props of alarms) {
      expect(props.AlarmActions).toEqual([topic]);
      expect(props.OKActions).toEqual([topic]);
    }
  });
});

describe('alarmTopicArn', () => {
  const arn = 'arn:aws:sns:eu-west-1:123456789012:ops-alerts';
  const synth = synthesize({ alarmTopicArn: arn });

  test('creates no topic and wires every alarm to the existing one', () => {
    // Prepare: the stack above
    // Act
    const alarms = resourcesOf(synth, 'AWS::CloudWatch::Alarm');
    // Assess
    expect(resourcesOf(synth, 'AWS::SNS::Topic')).toEqual([]);
    expect(resourcesOf(synth, 'AWS::SNS::Subscription')).toEqual([]);
    expect(alarms).toHaveLength(6);
    for (const props of alarms) {
      expect(props.AlarmActions).toEqual([arn]);
      expect(props.OKActions).toEqual([arn]);
    }
  });
});

describe('reservedConcurrency and timeout overrides', () => {
  test('a number replaces the default; the concurrency alarm follows it', () => {
    // Prepare
    const synth = synthesize({ reservedConcurrency: '250', timeoutSeconds: '300' });
    // Act
    const fn = propertiesOf(synth, synth.stack.origin.function);
    // Assess
    expect(fn.ReservedConcurrentExecutions).toBe(250);
    expect(alarm(synth, 'concurrency').Threshold).toBe(200);
    expect(alarm(synth, 'durationP99').Threshold).toBe(240_000);
  });

  test('"none" removes the reservation; the alarm then watches 80 % of the account quota', () => {
    // Prepare
    const synth = synthesize({ reservedConcurrency: 'none' });
    // Act
    const fn = propertiesOf(synth, synth.stack.origin.function);
    // Assess
    expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    expect(alarm(synth, 'concurrency').Threshold).toBe(800);
  });

  test('a raised account quota allows a larger reservation', () => {
    // Prepare
    const synth = synthesize({ reservedConcurrency: 2000, accountConcurrency: 5000 });
    // Act
    const fn = propertiesOf(synth, synth.stack.origin.function);
    // Assess
    expect(fn.ReservedConcurrentExecutions).toBe(2000);
    expect(alarm(synth, 'concurrency').Threshold).toBe(1600);
  });
});

describe('construct checks (before anything is bundled)', () => {
  function errorOf(props: MediaOriginProps): ConfigError {
    try {
      new MediaOrigin(new Stack(new App(), 'Check'), 'MediaOrigin', props);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError');
  }

  test.each<[string, MediaOriginProps, string, string]>([
    ['a reservation above the default quota minus 100', { reservedConcurrency: 901 }, 'reservedConcurrency', 'to 900'],
    ['a reservation of 0 (throttles everything)', { reservedConcurrency: 0 }, 'reservedConcurrency', 'every request'],
    ['a fractional reservation', { reservedConcurrency: 1.5 }, 'reservedConcurrency', 'an integer from 1'],
    [
      'the default reservation in an account with a small quota',
      { accountConcurrency: 50 },
      'reservedConcurrency',
      'leaves nothing to reserve',
    ],
    ['a quota of 0', { accountConcurrency: 0 }, 'accountConcurrency', 'a positive integer'],
    ['an email without a domain', { alarmEmail: 'ops@' }, 'alarmEmail', 'an email address'],
  ])('rejects %s', (_name, props, key, expectation) => {
    // Prepare: the props above
    // Act
    const error = errorOf(props);
    // Assess
    expect(error.key).toBe(key);
    expect(error.message).toContain(expectation);
  });

  test('rejects alarmEmail together with alarmTopic', () => {
    // Prepare
    const stack = new Stack(new App(), 'Check');
    const alarmTopic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:123456789012:ops');
    // Act
    let error: unknown;
    try {
      new MediaOrigin(stack, 'MediaOrigin', { alarmEmail: 'ops@example.com', alarmTopic });
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('exclude each other');
  });
});
