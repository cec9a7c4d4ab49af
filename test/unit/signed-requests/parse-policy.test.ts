import { MAX_POLICY_BYTES, parsePolicy } from '../../../lambda/signed-requests/parse-policy.ts';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const doc = (statement: unknown): Buffer => bytes(JSON.stringify({ Statement: [statement] }));

describe('parsePolicy', () => {
  test('a full custom policy', () => {
    // Prepare
    const policy = doc({
      Resource: 'https://d.example/hls/*',
      Condition: {
        DateLessThan: { 'AWS:EpochTime': 2000 },
        DateGreaterThan: { 'AWS:EpochTime': 1000 },
        IpAddress: { 'AWS:SourceIp': '192.0.2.0/24' },
      },
    });
    // Act
    const result = parsePolicy(policy);
    // Assess
    expect(result).toEqual({
      ok: true,
      policy: {
        resource: 'https://d.example/hls/*',
        dateLessThan: 2000,
        dateGreaterThan: 1000,
        sourceIp: { family: 'ipv4', address: '192.0.2.0', prefix: 24 },
      },
    });
  });

  test('Resource may be omitted (CloudFront: every object)', () => {
    // Act
    const result = parsePolicy(doc({ Condition: { DateLessThan: { 'AWS:EpochTime': 5 } } }));
    // Assess
    expect(result).toEqual({
      ok: true,
      policy: { resource: undefined, dateLessThan: 5, dateGreaterThan: undefined, sourceIp: undefined },
    });
  });

  const ok = { DateLessThan: { 'AWS:EpochTime': 5 } };
  test.each<[string, Buffer]>([
    ['empty', bytes('')],
    ['not JSON', bytes('{"Statement":')],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['an array', bytes('[]')],
    ['no Statement', bytes('{}')],
    ['two statements', bytes(JSON.stringify({ Statement: [{ Condition: ok }, { Condition: ok }] }))],
    ['no statements', bytes(JSON.stringify({ Statement: [] }))],
    ['unknown top-level key', bytes(JSON.stringify({ Statement: [{ Condition: ok }], Version: '1' }))],
    ['unknown statement key', doc({ Condition: ok, Effect: 'Allow' })],
    ['no Condition', doc({ Resource: '*' })],
    ['no DateLessThan', doc({ Condition: { DateGreaterThan: { 'AWS:EpochTime': 5 } } })],
    ['unknown condition', doc({ Condition: { ...ok, Referer: { x: 1 } } })],
    ['DateLessThan as a string', doc({ Condition: { DateLessThan: { 'AWS:EpochTime': '5' } } })],
    ['DateLessThan fractional', doc({ Condition: { DateLessThan: { 'AWS:EpochTime': 5.5 } } })],
    ['DateLessThan negative', doc({ Condition: { DateLessThan: { 'AWS:EpochTime': -1 } } })],
    ['DateLessThan wrong key', doc({ Condition: { DateLessThan: { EpochTime: 5 } } })],
    ['DateGreaterThan bad', doc({ Condition: { ...ok, DateGreaterThan: 5 } })],
    ['IpAddress bad CIDR', doc({ Condition: { ...ok, IpAddress: { 'AWS:SourceIp': '300.1.1.1/8' } } })],
    ['IpAddress not a string', doc({ Condition: { ...ok, IpAddress: { 'AWS:SourceIp': ['1.2.3.4'] } } })],
    ['Resource not a string', doc({ Resource: 5, Condition: ok })],
    ['Resource empty', doc({ Resource: '', Condition: ok })],
    ['oversized', doc({ Resource: `https://d.example/${'a'.repeat(MAX_POLICY_BYTES)}`, Condition: ok })],
  ])('refuses %s', (_name, input) => {
    // Act / Assess
    expect(parsePolicy(input)).toEqual({ ok: false });
  });
});
