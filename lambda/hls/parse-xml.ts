/**
 * A strict, bounded XML reader for MPDs. Hand-written on purpose: the XML parser already in the dependency tree
 * (@svta/cml-xml, a tolerant txml derivative that dash.js uses) spins forever on truncated input such as
 * `<a b` (its attribute loop waits for a quote past the end of the string) and recurses once per nesting level,
 * so a stored file could hang the function. This one is an explicit-stack scanner where every step advances
 * through the text, so its cost is linear in the input, and it refuses instead of guessing:
 *
 * - no DOCTYPE or entity declarations at all (no internal subset, no entity expansion);
 * - only the five predefined entities and numeric character references (XML 1.0 section 4.6 / 4.1);
 * - mismatched or unclosed tags, duplicate attributes, text outside the root are errors;
 * - bounded depth and element count.
 *
 * Namespace prefixes are dropped from element names (an MPD may write `<mpd:MPD>`); attribute names are kept
 * verbatim (xlink:href and friends are not used here).
 */
import { unplayable } from './unplayable-source.ts';

export const MAX_XML_DEPTH = 32;
export const MAX_XML_ELEMENTS = 20_000;

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Concatenated character data directly inside this element (trimmed by readers that need it). */
  text: string;
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_.:]*/y;
const SPACE = /[ \t\r\n]*/y;
const ATTRIBUTE = /([A-Za-z_:][-A-Za-z0-9_.:]*)[ \t\r\n]*=[ \t\r\n]*(?:"([^"<]*)"|'([^'<]*)')/y;
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));/g;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function malformed(): Error {
  return unplayable('the MPD is not well-formed XML this generator accepts');
}

function decode(raw: string): string {
  const decoded = raw.replace(REFERENCE, (_match, named: string | undefined, dec: string | undefined, hex?: string) => {
    if (named !== undefined) return PREDEFINED[named] ?? '';
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw malformed();
    return String.fromCodePoint(code);
  });
  // Any '&' left is an undeclared entity reference: refused, never expanded.
  if (raw.replace(REFERENCE, '').includes('&')) throw malformed();
  return decoded;
}

function localName(name: string): string {
  const colon = name.lastIndexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The root element of `text`, or the typed error. */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let elements = 0;
  let pos = 0;
  const length = text.length;

  const skipSpace = (): void => {
    SPACE.lastIndex = pos;
    SPACE.exec(text);
    pos = SPACE.lastIndex;
  };

  while (pos < length) {
    const lt = text.indexOf('<', pos);
    const chunk = text.slice(pos, lt === -1 ? length : lt);
    if (chunk.length > 0) {
      const parent = stack.at(-1);
      if (parent === undefined) {
        if (chunk.trim() !== '') throw malformed();
      } else {
        parent.text += decode(chunk);
      }
    }
    if (lt === -1) break;
    pos = lt;
    if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end === -1) throw malformed();
      pos = end + 2;
    } else if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end === -1) throw malformed();
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      const parent = stack.at(-1);
      if (end === -1 || parent === undefined) throw malformed();
      parent.text += text.slice(pos + 9, end);
      pos = end + 3;
    } else if (text.startsWith('<!', pos)) {
      // DOCTYPE, ENTITY and any other declaration: refused (no entity expansion, no external references).
      throw unplayable('the MPD contains a DOCTYPE or entity declaration');
    } else if (text.startsWith('</', pos)) {
      NAME.lastIndex = pos + 2;
      const match = NAME.exec(text);
      const open = stack.pop();
      if (match === null || open === undefined || localName(match[0]) !== open.name) throw malformed();
      pos = NAME.lastIndex;
      skipSpace();
      if (text[pos] !== '>') throw malformed();
      pos += 1;
    } else {
      NAME.lastIndex = pos + 1;
      const match = NAME.exec(text);
      if (match === null) throw malformed();
      pos = NAME.lastIndex;
      const attributes: Record<string, string> = {};
      for (;;) {
        const before = pos;
        skipSpace();
        if (text[pos] === '>' || text.startsWith('/>', pos)) break;
        if (pos === before) throw malformed();
        ATTRIBUTE.lastIndex = pos;
        const attribute = ATTRIBUTE.exec(text);
        if (attribute === null) throw malformed();
        const [, name = '', double, single] = attribute;
        if (Object.hasOwn(attributes, name)) throw malformed();
        attributes[name] = decode(double ?? single ?? '');
        pos = ATTRIBUTE.lastIndex;
      }
      elements += 1;
      if (elements > MAX_XML_ELEMENTS) throw unplayable('the MPD has too many elements');
      const element: XmlElement = { name: localName(match[0]), attributes, children: [], text: '' };
      const parent = stack.at(-1);
      if (parent !== undefined) parent.children.push(element);
      else if (root === undefined) root = element;
      else throw malformed();
      const selfClosing = text[pos] === '/';
      pos += selfClosing ? 2 : 1;
      if (!selfClosing) {
        if (stack.length >= MAX_XML_DEPTH) throw unplayable('the MPD nests elements too deeply');
        stack.push(element);
      }
    }
  }
  if (root === undefined || stack.length !== 0) throw malformed();
  return root;
}
