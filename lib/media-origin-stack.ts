import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { MediaOriginAppSettings } from './context.ts';
import { MediaOrigin, type MediaOriginProps } from './media-origin.ts';

export interface MediaOriginStackProps extends StackProps {
  /** Validated settings, usually `parseContext(app.node.getAllContext())`. */
  readonly settings: Omit<MediaOriginAppSettings, 'stackName'>;
  /** Overrides for construct-only props (handler entry, minify); tests use these. */
  readonly overrides?: Pick<MediaOriginProps, 'entry' | 'minify'>;
}

/** The deployable stack: one MediaOrigin plus the outputs ops need after `cdk deploy`. */
export class MediaOriginStack extends Stack {
  readonly origin: MediaOrigin;

  constructor(scope: Construct, id: string, props: MediaOriginStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const bucket =
      settings.bucketName === undefined
        ? undefined
        : s3.Bucket.fromBucketName(this, 'ExistingBucket', settings.bucketName);
    const bucketEncryptionKey =
      settings.bucketKmsKeyArn === undefined
        ? undefined
        : kms.Key.fromKeyArn(this, 'ExistingBucketKey', settings.bucketKmsKeyArn);
    const certificate =
      settings.certificateArn === undefined
        ? undefined
        : acm.Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn);

    const alarmTopic =
      settings.alarmTopicArn === undefined
        ? undefined
        : sns.Topic.fromTopicArn(this, 'ExistingAlarmTopic', settings.alarmTopicArn);

    this.origin = new MediaOrigin(this, 'MediaOrigin', {
      ...settings.props,
      ...props.overrides,
      ...(bucket === undefined ? {} : { bucket }),
      ...(bucketEncryptionKey === undefined ? {} : { bucketEncryptionKey }),
      ...(certificate === undefined ? {} : { certificate }),
      ...(alarmTopic === undefined ? {} : { alarmTopic }),
    });

    new CfnOutput(this, 'FunctionUrl', {
      description: 'Function URL (AWS_IAM unless publicUrl=true: then players may use it directly)',
      value: this.origin.functionUrl.url,
    });
    new CfnOutput(this, 'DistributionDomainName', {
      description: 'CloudFront domain: https://<this>/<key> serves s3://<bucket>/<keyPrefix><key>',
      value: this.origin.distribution.distributionDomainName,
    });
    new CfnOutput(this, 'DistributionId', {
      description: 'For cache invalidations: aws cloudfront create-invalidation --distribution-id <this> --paths "/*"',
      value: this.origin.distribution.distributionId,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'CloudWatch dashboard with the alarms, traffic, S3 work and Lambda duration/concurrency',
      value: this.origin.dashboard.dashboardName,
    });
    const signingKeys = this.origin.signingKeys;
    if (signingKeys !== undefined) {
      new CfnOutput(this, 'SigningKeyIds', {
        description: 'CloudFront key ids (name=id) of the signing keys: signers put the id in Key-Pair-Id',
        value: Fn.join(
          ',',
          signingKeys.publicKeys.map((key) => Fn.join('=', [key.node.id, key.publicKeyId])),
        ),
      });
    }
    new CfnOutput(this, 'BucketName', {
      description: 'Upload media here: npm run upload -- --bucket <this> <files>',
      value: this.origin.bucket.bucketName,
    });
  }
}
