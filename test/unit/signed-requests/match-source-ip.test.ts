import { matchesSourceIp, parseCidr } from '../../../lambda/signed-requests/match-source-ip.ts';

describe('parseCidr', () => {
  test.each([
    ['192.0.2.0/24', { family: 'ipv4', address: '192.0.2.0', prefix: 24 }],
    ['192.0.2.7', { family: 'ipv4', address: '192.0.2.7', prefix: 32 }],
    ['0.0.0.0/0', { family: 'ipv4', address: '0.0.0.0', prefix: 0 }],
    ['2001:db8::/32', { family: 'ipv6', address: '2001:db8::', prefix: 32 }],
    ['2001:db8::1', { family: 'ipv6', address: '2001:db8::1', prefix: 128 }],
  ])('%s', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });

  test.each(['', '192.0.2.0/33', '192.0.2/24', '256.0.0.1', '192.0.2.0/', '192.0.2.0/24/1', '2001:db8::/129', 'x/8'])(
    'refuses %j',
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );
});

describe('matchesSourceIp', () => {
  test.each<[string, string, boolean]>([
    ['192.0.2.0/24', '192.0.2.0', true],
    ['192.0.2.0/24', '192.0.2.255', true],
    ['192.0.2.0/24', '192.0.3.0', false],
    ['192.0.2.0/24', '192.0.1.255', false],
    ['192.0.2.7', '192.0.2.7', true],
    ['192.0.2.7', '192.0.2.8', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['0.0.0.0/0', '2001:db8::1', false],
    ['192.0.2.0/24', '::ffff:192.0.2.9', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8::/32', '192.0.2.1', false],
    ['::/0', '::1', true],
    ['192.0.2.0/24', 'not an ip', false],
  ])('%s contains %s -> %s', (cidr, ip, expected) => {
    // Prepare
    const block = parseCidr(cidr);
    if (block === undefined) throw new Error(`bad fixture ${cidr}`);
    // Act / Assess
    expect(matchesSourceIp(block, ip)).toBe(expected);
  });
});
