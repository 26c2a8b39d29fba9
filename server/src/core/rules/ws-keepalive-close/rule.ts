// Flags: the upgrade map's `'' close;` entry when the WebSocket location proxies to an upstream
//   that has `keepalive`.
// Because: `Connection: close` on every plain request defeats the upstream keep-alive pool; the
//   nginx docs' variant maps '' to '' (no Connection header) so plain requests reuse connections.
// Never flags: maps already using `'' ''`; upstreams without keepalive; nginx ≥ 1.29.7 targets
//   are flagged the same (keepalive is on by default there, for explicit upstreams).
import type { ENode } from '../../model/tree';
import { fix } from '../shared';
import type { Rule } from '../types';

export const rule: Rule = {
  meta: {
    id: 'ws-keepalive-close',
    severity: 'info',
    fix: 'suggestion',
    summary: 'The map sends Connection: close to a keepalive upstream; map \'\' to \'\' instead.',
    messages: {
      close: 'Plain requests get "Connection: close" from this map, which defeats keepalive to upstream {upstream}. Map \'\' to \'\' instead.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const reported = new Set<ENode>();
    for (const b of model.proxies) {
      const conn = b.headers.get('connection');
      const v = conn?.d.arg(1);
      if (!v || !v.startsWith('$')) continue;
      const host = /^https?:\/\/([^/:$]+)/i.exec(b.proxyPass.d.arg(0) ?? '')?.[1];
      const ups = host ? model.upstreams.get(host) : undefined;
      const keepalive = ups?.children.find((c) => c.d.name === 'keepalive');
      if (!ups || !keepalive) continue;
      for (const m of model.definitions.get(v.slice(1)) ?? []) {
        if (m.d.name !== 'map' || !/^\$http_upgrade$/i.test(m.d.arg(0) ?? '')) continue;
        const empty = m.children.find((e) => e.d.words.length === 2 && e.d.words[0].value === '' && e.d.words[1].value.toLowerCase() === 'close');
        if (!empty || reported.has(empty)) continue;
        reported.add(empty);
        const w = empty.d.words[1];
        ctx.report({
          node: empty,
          span: w.span,
          messageId: 'close',
          data: { upstream: host! },
          related: [{ file: keepalive.file, span: keepalive.d.span, note: `keepalive in upstream ${host}` }],
          fixes: fix("Map '' to ''", [{ file: empty.file, span: w.span, text: "''" }], 'suggestion'),
        });
      }
    }
  },
};
