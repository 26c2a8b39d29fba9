// Flags: words that start or end with typographic quotes “ ” ‘ ’ — the article's
//   `proxy_set_header Connection “upgrade”;` and `‘’ close;`, copied from a web page.
// Because: to nginx these are ordinary characters, not quotes: the backend receives
//   `Connection: “upgrade”`, the map key `‘’` never matches an empty value, and a quoted value
//   with a space splits into two arguments.
// Never flags: ASCII quotes; typographic apostrophes inside a word (`don’t`).
import type { ENode } from '../../model/tree';
import { fix } from '../shared';
import type { Rule } from '../types';
import type { TextEdit } from '../../types';

const OPEN = /^[“‘„]/;
const CLOSE = /[”’“]$/;
const ANY = /[“”‘’„]/;
const ASCII: Record<string, string> = { '“': '"', '”': '"', '„': '"', '‘': "'", '’': "'" };

export const rule: Rule = {
  meta: {
    id: 'typographic-quotes',
    severity: 'error',
    fix: 'safe',
    summary: 'Typographic quotes (“ ” ‘ ’) are not quotes to nginx.',
    messages: {
      curly: 'Typographic quotes in {word}: nginx treats them as ordinary characters, so the value includes them. Use ASCII quotes.',
    },
  },
  check(ctx) {
    // cheap pre-check: most files have no typographic quote at all
    const affected = new Set([...ctx.root.files].filter((f) => ANY.test(ctx.text(f))));
    if (!affected.size) return;
    const walk = (nodes: ENode[]) => {
      for (const n of nodes) {
        walk(n.children);
        if (n.ctx === 'opaque' || !affected.has(n.file)) continue;
        for (const w of n.d.words) {
          if (w.quote !== 'none') continue;
          const open = OPEN.test(w.raw);
          const close = CLOSE.test(w.raw) && (open || w.raw.length === 1 || !/\w’$/.test(w.raw));
          if (!open && !close) continue;
          const edits: TextEdit[] = [];
          if (open) edits.push({ file: n.file, span: { start: w.span.start, end: w.span.start + 1 }, text: ASCII[w.raw[0]] });
          if (close && !(open && w.raw.length === 1)) edits.push({ file: n.file, span: { start: w.span.end - 1, end: w.span.end }, text: ASCII[w.raw[w.raw.length - 1]] });
          ctx.report({ node: n, span: w.span, messageId: 'curly', data: { word: w.raw }, fixes: fix('Use ASCII quotes', edits) });
        }
      }
    };
    walk(ctx.root.top);
  },
};
