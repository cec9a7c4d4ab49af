/**
 * lib/ cannot import lambda/, so the alarms and the dashboard name the function's EMF metrics from
 * lib/origin-metrics.ts. These tests make the function's own metrics code (the real Powertools instance)
 * produce its EMF documents for every kind of request and assert that namespace, dimension and metric names are
 * the ones lib/ watches: renaming a metric on one side only fails here, not silently in CloudWatch.
 */
import type { RequestLogEntry } from '../../lambda/observability/request-log.ts';
import { ORIGIN_METRIC, ORIGIN_METRICS_NAMESPACE, ORIGIN_METRICS_SERVICE_DIMENSION } from '../../lib/origin-metrics.ts';
import { completeRequest } from '../support/request-log-entry.ts';

interface EmfDocument {
  readonly _aws: {
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: ReadonlyArray<readonly string[]>;
      readonly Metrics: ReadonlyArray<{ readonly Name: string }>;
    }>;
  };
  readonly [field: string]: unknown;
}

const SERVICE = 'media-origin-contract';
const SERVICE_BEFORE = process.env.POWERTOOLS_SERVICE_NAME;

afterAll(() => {
  if (SERVICE_BEFORE === undefined) delete process.env.POWERTOOLS_SERVICE_NAME;
  else process.env.POWERTOOLS_SERVICE_NAME = SERVICE_BEFORE;
});

const base = completeRequest;

/** The EMF documents the function's metrics code makes for these requests (what its log lines carry). */
async function emfDocumentsFor(entries: readonly RequestLogEntry[]): Promise<EmfDocument[]> {
  process.env.POWERTOOLS_SERVICE_NAME = SERVICE;
  const { metrics } = await import('../../lambda/observability/metrics.ts');
  const { requestMetricsDocument } = await import('../../lambda/observability/request-metrics.ts');
  const documents: EmfDocument[] = [];
  for (const entry of entries) {
    const document = requestMetricsDocument(metrics, entry);
    if (document !== undefined) documents.push(document as unknown as EmfDocument);
  }
  return documents;
}

test('every metric lib/ watches is emitted by the function, in the namespace and dimension lib/ uses', async () => {
  // Prepare: one request of every kind the counters distinguish
  const entries: RequestLogEntry[] = [
    base,
    { ...base, outcome: 'resumed 1', resumes: 1 },
    { ...base, outcome: 'truncated', resumes: 3 },
    { ...base, outcome: 'aborted' },
    { ...base, status: 503, bytesSent: 0 },
  ];
  // Act
  const documents = await emfDocumentsFor(entries);
  // Assess
  const directives = documents.flatMap((document) => document._aws.CloudWatchMetrics);
  expect(new Set(directives.map((directive) => directive.Namespace))).toEqual(new Set([ORIGIN_METRICS_NAMESPACE]));
  for (const directive of directives) {
    expect(directive.Dimensions).toEqual([[ORIGIN_METRICS_SERVICE_DIMENSION]]);
  }
  for (const document of documents) expect(document[ORIGIN_METRICS_SERVICE_DIMENSION]).toBe(SERVICE);
  const emitted = new Set(directives.flatMap((directive) => directive.Metrics.map((metric) => metric.Name)));
  expect(emitted).toEqual(new Set(Object.values(ORIGIN_METRIC)));
});

test('control: a request without failures emits none of the sparse counters', async () => {
  // Prepare
  const entries = [base];
  // Act
  const [document] = await emfDocumentsFor(entries);
  // Assess
  const names = document?._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((m) => m.Name));
  expect(names).toEqual([ORIGIN_METRIC.requests, ORIGIN_METRIC.bytesSent, ORIGIN_METRIC.s3Requests]);
});
