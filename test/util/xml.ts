// A strict reader of the XML the reports write (XML 1.0: elements, attributes, text, the five
// predefined entities and character references; no DTD, CDATA, comments or processing
// instructions but the prolog). It rejects what a conforming parser rejects in that subset: a raw
// `<` or `&` in an attribute or text, `]]>` in text, characters outside XML's Char production,
// unknown entities, mismatched or unclosed tags, a second root.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const isChar = (c: number) => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(input: string): XmlElement {
  for (const ch of input) if (!isChar(ch.codePointAt(0)!)) throw new Error(`character U+${ch.codePointAt(0)!.toString(16)} is not allowed in XML`);
  let s = input.replace(/\r\n?/g, '\n');
  let i = 0;
  const fail = (why: string): never => { throw new Error(`${why} at offset ${i}: ${JSON.stringify(s.slice(i, i + 40))}`); };
  const ws = () => { while (i < s.length && /[ \t\n]/.test(s[i])) i++; };
  const name = () => { NAME.lastIndex = i; const m = NAME.exec(s); if (!m) fail('a name expected'); i += m![0].length; return m![0]; };
  const reference = (): string => {
    const end = s.indexOf(';', i);
    if (end < 0) fail('an unterminated reference');
    const body = s.slice(i + 1, end);
    let out: string;
    if (/^#[0-9]+$/.test(body)) out = String.fromCodePoint(Number(body.slice(1)));
    else if (/^#x[0-9a-fA-F]+$/.test(body)) out = String.fromCodePoint(parseInt(body.slice(2), 16));
    else if (body in ENTITIES) out = ENTITIES[body];
    else return fail(`unknown entity &${body};`);
    if (body.startsWith('#') && !isChar(out.codePointAt(0)!)) fail('a reference to a character XML does not allow');
    i = end + 1;
    return out;
  };
  if (s.startsWith('<?xml')) { const e = s.indexOf('?>'); if (e < 0) fail('an unterminated prolog'); i = e + 2; }
  const element = (): XmlElement => {
    if (s[i] !== '<') fail('an element expected');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      ws();
      if (s.startsWith('/>', i)) { i += 2; return el; }
      if (s[i] === '>') { i++; break; }
      if (i === before) fail('a space expected before an attribute');
      const key = name();
      if (key in el.attrs) fail(`attribute ${key} twice`);
      ws();
      if (s[i] !== '=') fail('= expected');
      i++;
      ws();
      const q = s[i];
      if (q !== '"' && q !== "'") fail('a quoted value expected');
      i++;
      let v = '';
      while (s[i] !== q) {
        if (i >= s.length) fail('an unterminated attribute');
        if (s[i] === '<') fail('a raw < in an attribute');
        if (s[i] === '&') { v += reference(); continue; }
        // attribute-value normalization: a literal tab or line break reads as a space
        v += /[\t\n]/.test(s[i]) ? ' ' : s[i];
        i++;
      }
      i++;
      el.attrs[key] = v;
    }
    for (;;) {
      if (i >= s.length) fail(`<${el.name}> is not closed`);
      if (s.startsWith('</', i)) {
        i += 2;
        if (name() !== el.name) fail(`</…> does not close <${el.name}>`);
        ws();
        if (s[i] !== '>') fail('> expected');
        i++;
        return el;
      }
      if (s[i] === '<') { el.children.push(element()); continue; }
      if (s[i] === '&') { el.text += reference(); continue; }
      if (s.startsWith(']]>', i)) fail(']]> in text');
      el.text += s[i++];
    }
  };
  ws();
  const root = element();
  ws();
  if (i !== s.length) fail('content after the root element');
  s = '';
  return root;
}
