// Flags: a second `map` that defines the variable a WebSocket header is built from
//   (`$connection_upgrade`, typically: the ws-upstream snippet's keepalive map beside the
//   canonical one, or a conf.d file that brings its own).
// Because: nginx accepts it without a word, and the map read last serves every server of the
//   configuration (test/proof/facts.test.ts checks it on the real nginx) — one site's map
//   silently changes all the others.
// Never flags: one map per variable; maps of variables no Upgrade/Connection header uses;
//   maps in different configurations (two nginx.conf roots).
import { headerName } from '../../model/effective';
import type { ENode } from '../../model/tree';
import type { Rule } from '../types';

const VAR = /\$(?:\{(\w+)\}|(\w+))/g;

export const rule: Rule = {
  meta: {
    id: 'ws-map-duplicate',
    severity: 'warning',
    fix: 'none',
    summary: 'Two maps define the variable a WebSocket header uses; nginx keeps the last one for every server.',
    messages: {
      duplicate: '${name} is defined by another map too: nginx keeps only the one it reads last ({which}) for every server, without a warning. Keep one map.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    // variables the Upgrade/Connection headers are built from
    const used = new Set<string>(['connection_upgrade']);
    for (const n of model.named('proxy_set_header')) {
      const h = headerName(n);
      if (h !== 'upgrade' && h !== 'connection') continue;
      const v = n.d.arg(1);
      if (v && v.includes('$')) for (const m of v.matchAll(VAR)) used.add((m[1] ?? m[2]).toLowerCase());
    }
    const byVar = new Map<string, ENode[]>();
    for (const m of model.maps) {
      const v = (m.d.arg(1) ?? '').replace(/^\$/, '').toLowerCase();
      if (!v || !used.has(v) || m.d.wordCount !== 3) continue;
      const l = byVar.get(v);
      if (l) l.push(m); else byVar.set(v, [m]);
    }
    for (const [name, maps] of byVar) {
      if (maps.length < 2) continue;
      // maps are in nginx's reading order: the last one is the one in force
      maps.forEach((m, i) => {
        const last = i === maps.length - 1;
        ctx.report({
          node: m,
          span: m.d.args[1].span,
          messageId: 'duplicate',
          data: { name, which: last ? 'this one' : 'a later one' },
          related: maps.filter((o) => o !== m).map((o) => ({ file: o.file, span: o.d.args[1].span, note: `$${name} is also defined here${o === maps[maps.length - 1] ? ' (the one nginx keeps)' : ''}` })),
        });
      });
    }
  },
};
