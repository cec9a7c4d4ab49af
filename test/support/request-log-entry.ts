/**
 * A request log entry for a plain, complete 206; tests spread overrides over it for the other outcomes
 * (truncated, aborted, resumed, 5xx). Shared by the metrics unit test and the lib/ <-> lambda/ metric contract.
 */
import type { RequestLogEntry } from '../../lambda/observability/request-log.ts';

export const completeRequest: RequestLogEntry = {
  requestId: 'req-1',
  method: 'GET',
  key: 'clip.mp4',
  rangeAsked: 'bytes=0-',
  rangeServed: '0-999',
  status: 206,
  bytesSent: 1000,
  durationMs: 12,
  s3FirstByteMs: 3,
  s3Requests: 1,
  resumes: 0,
  outcome: 'complete',
  error: undefined,
};
