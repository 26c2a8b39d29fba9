// Flags: a `map` inside server, location or any block other than http (or stream).
// Because: nginx refuses it ("map" directive is not allowed here); people paste the article's
//   map right above the location that needs it.
// Never flags: maps in http{} or in a file included at http level.
import type { ENode } from '../../model/tree';
import { insertAtBlockStart, insertAtFileTop } from '../../fix/edits';
import { indentAt } from '../../text';
import { fix, baseName } from '../shared';
import type { Rule } from '../types';

export const rule: Rule = {
  meta: {
    id: 'ws-map-context',
    severity: 'error',
    fix: 'safe',
    fixNote: 'may edit nginx.conf',
    summary: 'The map must be in the http block, not in server or location.',
    messages: {
      notHere: '"map" directive is not allowed here: a map belongs in the http block{where}.',
    },
  },
  check(ctx) {
    const { model, root } = ctx;
    for (const m of model.maps) {
      if (m.ctx === 'http' || m.ctx === 'stream' || !m.d.block?.close) continue;
      const text = ctx.text(m.file);
      // the whole lines the map occupies
      const lineStart = text.lastIndexOf('\n', m.d.span.start - 1) + 1;
      const onlyIndentBefore = /^[ \t]*$/.test(text.slice(lineStart, m.d.span.start));
      let end = m.d.span.end;
      const nl = text.indexOf('\n', end);
      if (/^[ \t\r]*$/.test(text.slice(end, nl < 0 ? text.length : nl))) end = nl < 0 ? text.length : nl + 1;
      const start = onlyIndentBefore ? lineStart : m.d.span.start;
      const body = text.slice(m.d.span.start, m.d.span.end);
      const lines = body.split(/\r?\n/).map((l, i) => (i === 0 ? l : l.replace(new RegExp('^' + indentAt(text, m.d.span.start)), '')));
      const target = m.d.arg(1);
      const already = target && model.maps.some((o) => o !== m && (o.ctx === 'http') && o.d.arg(1) === target);
      const remove = { file: m.file, span: { start, end }, text: '' };
      const http = model.httpBlocks.find((h) => h.d.block?.close);
      let insert;
      if (!already) {
        if (http) insert = insertAtBlockStart(ctx.text(http.file), http, lines);
        else if (root.kind === 'fragment' && root.ctx === 'http') {
          const first = root.top.find((n: ENode) => n.file === root.root);
          insert = insertAtFileTop(root.root, ctx.text(root.root), first?.d.span.start, lines);
        }
      }
      const where = http ? ` (${baseName(http.file)})` : root.ctx === 'http' ? ' (the top of this file)' : '';
      ctx.report({
        node: m,
        messageId: 'notHere',
        data: { where },
        replacesNginx: true,
        fixes: already ? fix('Remove this map (the http block already defines it)', [remove]) : insert ? fix(`Move the map to the http block${where}`, [remove, insert]) : [],
      });
    }
  },
};
