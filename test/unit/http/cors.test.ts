import * as cors from '../../../lambda/http/cors.ts';
import { corsHeaders, EXPOSED_HEADERS } from '../../../lambda/http/cors-headers.ts';
import { ALLOWED_REQUEST_HEADERS, planPreflight } from '../../../lambda/http/plan-preflight.ts';

describe('cors.ts (one import for CORS)', () => {
  test('re-exports the same functions and constants', () => {
    // Prepare
    const expected = { ALLOWED_REQUEST_HEADERS, EXPOSED_HEADERS, corsHeaders, planPreflight };
    // Act
    const exported = { ...cors };
    // Assess
    expect(exported).toEqual(expected);
  });
});
