import { admitSignedRequest } from '../../../lambda/signed-requests/admit-signed-request.ts';
import { signedRequestRefusal } from '../../../lambda/signed-requests/refusal-error.ts';
import { functionUrlEvent } from '../../support/function-url-event.ts';
import { cannedUrl, keysOf, rawQueryOf, testKeyPair } from '../../support/signing-keys.ts';

const pair = testKeyPair('K1');
const policy = { keys: keysOf(pair), baseUrls: [] };
const HOST = 'abcdefghij.lambda-url.us-east-1.on.aws';
const NOW = Date.now();

describe('admitSignedRequest', () => {
  test('no policy: the event passes untouched', () => {
    // Prepare
    const event = functionUrlEvent({ path: '/a.mp4', query: 'Signature=x&download=y' });
    // Act / Assess
    expect(admitSignedRequest(event, undefined, NOW)).toEqual({ event, refusal: undefined });
  });

  test('a valid signed URL: admitted, signing parameters removed from both query forms', () => {
    // Prepare
    const url = cannedUrl(pair, `https://${HOST}/a.mp4?download=y.mp4`, Math.floor(NOW / 1000) + 60);
    const event = functionUrlEvent({ path: '/a.mp4', query: rawQueryOf(url) });
    // Act
    const admission = admitSignedRequest(event, policy, NOW);
    // Assess
    expect(admission.refusal).toBeUndefined();
    expect(admission.event.rawQueryString).toBe('download=y.mp4');
    expect(admission.event.queryStringParameters).toEqual({ download: 'y.mp4' });
  });

  test.each(['OPTIONS', 'POST', 'DELETE'])('%s needs no signature (its answer reveals no object)', (method) => {
    // Act
    const admission = admitSignedRequest(functionUrlEvent({ method, path: '/a.mp4' }), policy, NOW);
    // Assess
    expect(admission.refusal).toBeUndefined();
  });

  test.each(['GET', 'HEAD'])('%s without a token: missing', (method) => {
    expect(admitSignedRequest(functionUrlEvent({ method, path: '/a.mp4' }), policy, NOW).refusal).toBe('missing');
  });

  test('the refusal error: fixed 403 message, reason only in the cause', () => {
    // Act
    const error = signedRequestRefusal('expired');
    // Assess
    expect(error.statusCode).toBe(403);
    expect(error.message).toBe('Forbidden');
    expect(error.cause).toMatchObject({ reason: 'expired', message: 'signed request refused: expired' });
  });
});
