import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseIsoDuration, parseMpd } from '../../../lambda/hls/parse-mpd.ts';
import { MAX_XML_DEPTH, parseXml } from '../../../lambda/hls/parse-xml.ts';
import { UnplayableSourceError } from '../../../lambda/hls/unplayable-source.ts';
import { MEDIA_ROOT } from '../../support/hls-fixture-reader.ts';
import { unplayableReason as reason } from '../../support/unplayable-reason.ts';

const onDemand = readFileSync(path.join(MEDIA_ROOT, 'dash/on-demand/manifest.mpd'), 'utf8');
const template = readFileSync(path.join(MEDIA_ROOT, 'dash/template/manifest.mpd'), 'utf8');

describe('parseXml', () => {
  test('elements, attributes with both quotes, predefined and numeric references, CDATA, comments', () => {
    // Act
    const root = parseXml(
      `<?xml version="1.0"?><!-- c --><a x='1' y="&lt;&#65;&#x42;&amp;"><b>t<![CDATA[<raw>]]></b><c/></a>`,
    );

    // Assess
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1', y: '<AB&' });
    expect(root.children.map((child) => child.name)).toEqual(['b', 'c']);
    expect(root.children[0]?.text).toBe('t<raw>');
  });

  test.each<[string, string, RegExp]>([
    ['DOCTYPE', '<!DOCTYPE a><a/>', /DOCTYPE/],
    ['entity declaration', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', /DOCTYPE/],
    ['undeclared entity', '<a>&e;</a>', /well-formed/],
    ['mismatched tags', '<a><b></a></b>', /well-formed/],
    ['unclosed', '<a><b>', /well-formed/],
    ['truncated attribute', '<a b', /well-formed/],
    ['duplicate attribute', '<a b="1" b="2"/>', /well-formed/],
    ['two roots', '<a/><b/>', /well-formed/],
    ['text outside the root', 'x<a/>', /well-formed/],
    ['too deep', `${'<a>'.repeat(MAX_XML_DEPTH + 1)}${'</a>'.repeat(MAX_XML_DEPTH + 1)}`, /deeply/],
  ])('%s is refused', (_name, text, expected) => {
    // Act / Assess
    expect(reason(() => parseXml(text))).toMatch(expected);
  });

  test('any text, and any truncation or mutation of a real MPD, ends in a tree or the typed error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.nat({ max: onDemand.length }).map((end) => onDemand.slice(0, end)),
          fc
            .tuple(
              fc.nat({ max: onDemand.length - 1 }),
              fc.constantFrom('<', '>', '"', "'", '&', '/', '=', '!', '?', ''),
            )
            .map(([at, char]) => onDemand.slice(0, at) + char + onDemand.slice(at + 1)),
        ),
        (text) => {
          try {
            parseMpd(text);
          } catch (error) {
            expect(error).toBeInstanceOf(UnplayableSourceError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('parseMpd', () => {
  test('the on-demand sample: SegmentBase ranges, codecs, sizes, frame rate, SAP', () => {
    // Act
    const presentation = parseMpd(onDemand);

    // Assess
    expect(presentation.durationSeconds).toBe(10);
    expect(presentation.representations.map((r) => [r.id, r.contentType, r.baseUrl])).toEqual([
      ['0', 'video', 'media-0.mp4'],
      ['1', 'video', 'media-1.mp4'],
      ['2', 'audio', 'media-2.mp4'],
    ]);
    expect(presentation.representations[0]).toMatchObject({
      bandwidth: 131470,
      codecs: 'avc1.4d400c',
      width: 320,
      height: 180,
      frameRate: 24,
      startsWithSap: true,
      addressing: { kind: 'base', indexRange: { start: 797, end: 896 }, initialization: { start: 0, end: 796 } },
    });
    expect(presentation.representations[2]?.channels).toBe('1');
  });

  test('the template sample: merged SegmentTemplate with its timeline', () => {
    // Act
    const presentation = parseMpd(template);

    // Assess
    expect(presentation.representations[2]?.addressing).toEqual({
      kind: 'template',
      timescale: 44100,
      media: 'chunk-$RepresentationID$-$Number%03d$.m4s',
      initialization: 'init-$RepresentationID$.mp4',
      startNumber: 1,
      duration: undefined,
      timeline: [
        { t: 0, d: 84992, r: 0 },
        { t: undefined, d: 88064, r: 2 },
        { t: undefined, d: 89088, r: 0 },
        { t: undefined, d: 2728, r: 0 },
      ],
    });
  });

  test('BaseURLs nest relative to each other; AdaptationSet-level SegmentTemplate is inherited', () => {
    // Act
    const presentation = parseMpd(`<MPD mediaPresentationDuration="PT4S"><BaseURL>v/</BaseURL><Period>
      <AdaptationSet mimeType="video/mp4" frameRate="30000/1001"><BaseURL>hd/</BaseURL>
        <SegmentTemplate timescale="10" duration="20" media="$RepresentationID$/$Number$.m4s" initialization="$RepresentationID$/i.mp4"/>
        <Representation id="a" bandwidth="1"/></AdaptationSet></Period></MPD>`);

    // Assess
    expect(presentation.representations[0]).toMatchObject({
      baseUrl: 'v/hd/',
      contentType: 'video',
      addressing: { kind: 'template', duration: 20, timescale: 10 },
    });
    expect(presentation.representations[0]?.frameRate).toBeCloseTo(29.97, 2);
  });

  test.each<[string, string, RegExp]>([
    ['several Periods', '<MPD><Period/><Period/></MPD>', /several Periods/],
    ['no Period', '<MPD/>', /no Period/],
    ['not an MPD', '<html/>', /not an MPD/],
    ['dynamic', '<MPD type="dynamic"><Period/></MPD>', /dynamic/],
    [
      'encrypted',
      '<MPD><Period><AdaptationSet><ContentProtection/><Representation id="a" bandwidth="1"/></AdaptationSet></Period></MPD>',
      /encrypted/,
    ],
    [
      'duplicate ids',
      '<MPD><Period><AdaptationSet><Representation id="a" bandwidth="1"><BaseURL>a.mp4</BaseURL></Representation><Representation id="a" bandwidth="2"><BaseURL>b.mp4</BaseURL></Representation></AdaptationSet></Period></MPD>',
      /unique/,
    ],
    [
      'scheme BaseURL',
      '<MPD><BaseURL>s3://other-bucket/</BaseURL><Period><AdaptationSet><Representation id="a" bandwidth="1"/></AdaptationSet></Period></MPD>',
      /BaseURL/,
    ],
    [
      'root BaseURL',
      '<MPD><Period><AdaptationSet><Representation id="a" bandwidth="1"><BaseURL>/etc/x.mp4</BaseURL></Representation></AdaptationSet></Period></MPD>',
      /BaseURL/,
    ],
    [
      'no addressing',
      '<MPD><Period><AdaptationSet><Representation id="a" bandwidth="1"/></AdaptationSet></Period></MPD>',
      /no segment addressing/,
    ],
  ])('%s is refused with a reason', (_name, text, expected) => {
    // Act / Assess
    expect(reason(() => parseMpd(text))).toMatch(expected);
  });

  test.each<[string, number | undefined]>([
    ['PT10.0S', 10],
    ['PT1H2M3.5S', 3723.5],
    ['P1DT1S', 86401],
  ])('duration %s', (text, seconds) => {
    // Act / Assess
    expect(parseIsoDuration(text)).toBe(seconds);
  });

  test.each(['P1Y', 'PT', 'P', '10S', 'PT-1S'])('duration %s is refused', (text) => {
    // Act / Assess
    expect(reason(() => parseIsoDuration(text))).toMatch(/duration/);
  });
});
