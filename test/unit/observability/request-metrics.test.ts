import { MetricUnit } from '@aws-lambda-powertools/metrics';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

import {
  type EmfDocument,
  type MetricsSink,
  requestMetricsDocument,
} from '../../../lambda/observability/request-metrics.ts';
import { completeRequest } from '../../support/request-log-entry.ts';

class Recorder implements MetricsSink {
  readonly added: Array<[string, Unit, number]> = [];
  serialized = 0;
  cleared = 0;
  disabled = false;
  addMetric(name: string, unit: Unit, value: number): void {
    this.added.push([name, unit, value]);
  }
  serializeMetrics(): EmfDocument {
    this.serialized += 1;
    return { _aws: { recorded: this.added.length } };
  }
  clearMetrics(): void {
    this.cleared += 1;
  }
  isDisabled(): boolean {
    return this.disabled;
  }
}

const entry = completeRequest;

describe('requestMetricsDocument', () => {
  test('a complete request counts one request, its bytes and its S3 calls, as one document', () => {
    // Prepare
    const metrics = new Recorder();

    // Act
    const document = requestMetricsDocument(metrics, entry);

    // Assess
    expect(metrics.added).toEqual([
      ['Requests', MetricUnit.Count, 1],
      ['BytesSent', MetricUnit.Bytes, 1000],
      ['S3Requests', MetricUnit.Count, 1],
    ]);
    expect(document).toEqual({ _aws: { recorded: 3 } });
    expect([metrics.serialized, metrics.cleared]).toEqual([1, 1]);
  });

  test('disabled metrics (POWERTOOLS_METRICS_DISABLED) produce no document and record nothing', () => {
    // Prepare
    const metrics = new Recorder();
    metrics.disabled = true;

    // Act
    const document = requestMetricsDocument(metrics, entry);

    // Assess
    expect(document).toBeUndefined();
    expect(metrics.added).toEqual([]);
    expect(metrics.serialized).toBe(0);
  });

  test.each([
    ['truncated', { outcome: 'truncated', resumes: 3, status: 200 }, ['S3Resumes', 'TruncatedResponses']],
    ['aborted by the viewer', { outcome: 'aborted', resumes: 0, status: 206 }, ['AbortedResponses']],
    ['resumed and complete', { outcome: 'resumed 1', resumes: 1, status: 206 }, ['S3Resumes']],
    ['a server error', { outcome: 'complete', resumes: 0, status: 503 }, ['ServerErrors']],
  ] as const)('%s is counted as such', (_name, overrides, expected) => {
    // Prepare
    const metrics = new Recorder();

    // Act
    requestMetricsDocument(metrics, { ...entry, ...overrides });

    // Assess
    const extra = metrics.added
      .map(([name]) => name)
      .filter((name) => !['Requests', 'BytesSent', 'S3Requests'].includes(name));
    expect(extra).toEqual(expected);
  });
});
