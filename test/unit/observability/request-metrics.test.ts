import { MetricUnit } from '@aws-lambda-powertools/metrics';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

import { type MetricsSink, recordRequestMetrics } from '../../../lambda/observability/request-metrics.ts';
import { completeRequest } from '../../support/request-log-entry.ts';

class Recorder implements MetricsSink {
  readonly added: Array<[string, Unit, number]> = [];
  published = 0;
  addMetric(name: string, unit: Unit, value: number): void {
    this.added.push([name, unit, value]);
  }
  publishStoredMetrics(): void {
    this.published += 1;
  }
}

const entry = completeRequest;

describe('recordRequestMetrics', () => {
  test('a complete request counts one request, its bytes and its S3 calls, and publishes once', () => {
    // Prepare
    const metrics = new Recorder();

    // Act
    recordRequestMetrics(metrics, entry);

    // Assess
    expect(metrics.added).toEqual([
      ['Requests', MetricUnit.Count, 1],
      ['BytesSent', MetricUnit.Bytes, 1000],
      ['S3Requests', MetricUnit.Count, 1],
    ]);
    expect(metrics.published).toBe(1);
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
    recordRequestMetrics(metrics, { ...entry, ...overrides });

    // Assess
    const extra = metrics.added
      .map(([name]) => name)
      .filter((name) => !['Requests', 'BytesSent', 'S3Requests'].includes(name));
    expect(extra).toEqual(expected);
  });
});
