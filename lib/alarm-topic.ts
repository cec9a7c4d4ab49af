/**
 * Where alarm notifications go: context `alarmEmail` creates a topic with an email subscription,
 * `alarmTopicArn` uses an existing topic; with neither, no topic is created and the alarms only change state.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Enough to catch a slip (no @, no domain, a list); SNS and the confirmation mail do the rest. */
export const ALARM_EMAIL_PATTERN = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: { readonly email: string }) {
    super(scope, id);
    // enforceSSL: the topic policy denies publishing/subscribing over plain HTTP (cdk-nag AwsSolutions-SNS3).
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'media-origin alarms', enforceSSL: true });
    // A topic policy replaces SNS's default one, so CloudWatch (publishing for this account's alarms) must be
    // allowed explicitly (CloudWatch user guide, "Using Amazon SNS notifications"); only this account's alarms.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed alias/aws/sns key, so encryption ' +
        'at rest would need a customer managed key; alarm messages carry alarm names and metric values, no viewer data.',
    });
  }
}
