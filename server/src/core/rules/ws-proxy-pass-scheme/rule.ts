// Flags: `proxy_pass ws://…` / `wss://…`, and ws(s):// values of set/map variables that a
//   proxy_pass uses.
// Because: nginx only knows http:// and https:// upstreams. A literal fails `nginx -t` with
//   "invalid URL prefix"; through a variable it passes the test and fails every request with 500.
// Never flags: http:// and https:// targets; ws:// strings that never reach proxy_pass.
import type { ENode } from '../../model/tree';
import type { Word } from '../../syntax/ast';
import { fix } from '../shared';
import type { Rule } from '../types';

const WS = /^(wss?):\/\//i;

export const rule: Rule = {
  meta: {
    id: 'ws-proxy-pass-scheme',
    severity: 'error',
    fix: 'safe',
    summary: 'proxy_pass takes http:// or https://, never ws:// or wss://.',
    messages: {
      literal: 'invalid URL prefix: proxy_pass does not take {scheme}://. nginx proxies WebSocket over {http}:// — the upgrade headers do the rest.',
      viaVariable: '${name} holds a {scheme}:// URL and feeds proxy_pass: nginx answers every request with 500 "invalid URL prefix". Use {http}://.',
    },
  },
  check(ctx) {
    const used = new Set<string>();
    const report = (n: ENode, a: Word, scheme: string, messageId: 'literal' | 'viaVariable', name = '') => {
      const http = scheme === 'wss' ? 'https' : 'http';
      const at = a.raw.toLowerCase().indexOf(scheme + '://');
      const span = { start: a.span.start + at, end: a.span.start + at + scheme.length };
      // the literal form says what nginx's own "invalid URL prefix" (nginx-directive) says, and more
      ctx.report({ node: n, span, messageId, data: { scheme, http, name }, fixes: fix(`Use ${http}://`, [{ file: n.file, span, text: http }]), replacesNginx: messageId === 'literal' });
    };
    for (const n of ctx.model.named('proxy_pass')) {
      if (n.ctx === 'handler' || n.ctx === 'unknown') continue;
      const a = n.d.args[0];
      if (!a) continue;
      if (a.value.includes('$')) for (const m of a.value.matchAll(/\$\{?(\w+)/g)) used.add(m[1]);
      const s = WS.exec(a.value);
      if (s) report(n, a, s[1].toLowerCase(), 'literal');
    }
    if (!used.size) return;
    for (const n of ctx.model.named('set')) {
      if (n.d.args.length === 2) {
        const name = n.d.arg(0)!.replace(/^\$/, '');
        const s = WS.exec(n.d.arg(1)!);
        if (s && used.has(name)) report(n, n.d.args[1], s[1].toLowerCase(), 'viaVariable', name);
      }
    }
    for (const n of ctx.model.maps) {
      if (n.d.args.length === 2) {
        const name = n.d.arg(1)!.replace(/^\$/, '');
        if (!used.has(name)) continue;
        for (const e of n.children) {
          const v = e.d.words[1];
          const s = v && e.d.words.length === 2 ? WS.exec(v.value) : null;
          if (s) report(e, v, s[1].toLowerCase(), 'viaVariable', name);
        }
      }
    }
  },
};
