/**
 * The request's one log line, written by the real Powertools Logger with the real Powertools Metrics document
 * merged in: it must still be a valid CloudWatch EMF document (every dimension a string at the root,
 * every metric a number at the root) and still carry every log field.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { OriginMetrics } from '../../../lambda/observability/metrics.ts';
import { requestLogLine } from '../../../lambda/observability/request-log-line.ts';
import { requestMetricsDocument } from '../../../lambda/observability/request-metrics.ts';
import { completeRequest } from '../../support/request-log-entry.ts';

// The function's own Metrics class (its disabled switch public), fresh per test.
const VisibleMetrics = OriginMetrics;

interface Directive {
  readonly Namespace: string;
  readonly Dimensions: ReadonlyArray<readonly string[]>;
  readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: string }>;
}

let written: string[] = [];
beforeEach(() => {
  written = [];
  // Powertools writes info to stdout and error to stderr (both reach CloudWatch on Lambda).
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  }
});
afterEach(() => {
  jest.restoreAllMocks();
});

function writeLine(metrics: OriginMetrics, entry = completeRequest): Record<string, unknown>[] {
  const logger = new Logger({ serviceName: 'origin-test' });
  const line = requestLogLine(entry, metrics);
  if (line.level === 'error') logger.error('request', line.attributes);
  else logger.info('request', line.attributes);
  return written
    .join('')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as Record<string, unknown>);
}

describe('requestLogLine', () => {
  test('one line that is both the log entry and a valid EMF document', () => {
    // Prepare
    const metrics = new VisibleMetrics({ namespace: 'MediaOrigin', serviceName: 'origin-test' });

    // Act
    const lines = writeLine(metrics);

    // Assess
    expect(lines).toHaveLength(1);
    const [line = {}] = lines;
    expect(line).toMatchObject({ level: 'INFO', message: 'request', requestId: 'req-1', status: 206, bytesSent: 1000 });
    const directives = (line._aws as { CloudWatchMetrics: Directive[] }).CloudWatchMetrics;
    expect(directives.map((directive) => directive.Namespace)).toEqual(['MediaOrigin']);
    for (const directive of directives) {
      for (const dimension of directive.Dimensions.flat()) expect(typeof line[dimension]).toBe('string');
      for (const metric of directive.Metrics) expect(typeof line[metric.Name]).toBe('number');
    }
    expect(line.service).toBe('origin-test');
    expect([line.Requests, line.BytesSent, line.S3Requests]).toEqual([1, 1000, 1]);
  });

  test('a truncated body is an error-level line and counts as truncated', () => {
    // Prepare
    const metrics = new VisibleMetrics({ namespace: 'MediaOrigin', serviceName: 'origin-test' });
    const entry = { ...completeRequest, outcome: 'truncated' as const, resumes: 3, error: new Error('S3 reset') };

    // Act
    const lines = writeLine(metrics, entry);

    // Assess
    const [line = {}] = lines;
    expect(lines.map((each) => each.level)).toEqual(['ERROR']);
    expect(line.level).toBe('ERROR');
    expect(line.TruncatedResponses).toBe(1);
    expect(line.error).toMatchObject({ name: 'Error', message: 'S3 reset' });
  });

  test('with no service name configured, the dimension still has the value the Logger writes', () => {
    // Prepare: both read POWERTOOLS_SERVICE_NAME; the function sets neither class's serviceName option
    const saved = process.env.POWERTOOLS_SERVICE_NAME;
    delete process.env.POWERTOOLS_SERVICE_NAME;
    try {
      const document = requestMetricsDocument(new VisibleMetrics({ namespace: 'MediaOrigin' }), completeRequest);
      const logger = new Logger();

      // Act
      logger.info(
        'request',
        requestLogLine(completeRequest, new VisibleMetrics({ namespace: 'MediaOrigin' })).attributes,
      );

      // Assess
      const line = JSON.parse(written.join('').trim()) as Record<string, unknown>;
      expect(typeof document?.service).toBe('string');
      expect(line.service).toBe(document?.service);
    } finally {
      if (saved !== undefined) process.env.POWERTOOLS_SERVICE_NAME = saved;
    }
  });

  test('control: metrics disabled -> the same log line without any EMF member', () => {
    // Prepare
    const metrics = new VisibleMetrics({ namespace: 'MediaOrigin', serviceName: 'origin-test' });
    jest.spyOn(metrics, 'isDisabled').mockReturnValue(true);

    // Act
    const [line = {}] = writeLine(metrics);

    // Assess
    expect(line).toMatchObject({ message: 'request', requestId: 'req-1' });
    expect(line._aws).toBeUndefined();
    expect(line.Requests).toBeUndefined();
  });
});
