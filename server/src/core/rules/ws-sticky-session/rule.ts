// Flags: a Socket.IO / Engine.IO, SockJS or SignalR endpoint (by its location path or its
//   proxy_pass URI) proxied to an upstream of two or more servers that balances without session
//   affinity (no ip_hash, hash or sticky).
// Because: these clients open a session with one request (Engine.IO's polling handshake, SockJS's
//   info and XHR transports, SignalR's negotiate) and come back for it with the next ones; nginx's
//   default round robin sends the next request to the other server, which answers
//   `400 {"code":1,"message":"Session ID unknown"}` (Socket.IO) or 404 (SignalR), and the client
//   reconnects in a loop. test/proof/apps.test.ts shows it with two real backends.
// Never flags: one server (backup and down ones apart); an upstream with ip_hash, hash, sticky or
//   an include that could not be read; proxy_pass with variables; other WebSocket paths (a plain
//   WebSocket is one connection, it needs no affinity); blocks that are no WebSocket endpoint.
import type { ENode } from '../../model/tree';
import { isStockInclude } from '../../model/effective';
import { insertAtBlockStart } from '../../fix/edits';
import { fix, locationOf, proxyTarget, sessionFramework, upstreamNamed } from '../shared';
import type { Rule } from '../types';

/** Balancing methods that keep a client on one server. */
const AFFINITY = new Set(['ip_hash', 'hash', 'sticky', 'sticky_cookie_insert']);
/** Other balancing methods: ip_hash would replace them (a choice left to the user). */
const OTHER_METHODS = new Set(['least_conn', 'least_time', 'random', 'ntlm']);

export const rule: Rule = {
  meta: {
    id: 'ws-sticky-session',
    severity: 'warning',
    fix: 'safe',
    fixNote: 'edits the upstream block',
    summary: 'A Socket.IO, SockJS or SignalR endpoint is balanced over several servers without session affinity (400 Session ID unknown).',
    messages: {
      notSticky: '{framework} keeps a session on the server that opened it, but upstream {upstream} spreads requests over {count} servers by round robin: the next request of a session reaches another server, which answers 400 "Session ID unknown", and the client reconnects in a loop. Add ip_hash (or hash/sticky) to the upstream.',
      otherMethod: '{framework} keeps a session on the server that opened it, but upstream {upstream} balances its {count} servers with {method}, which does not keep a client on one server: the next request of a session reaches another server ("Session ID unknown"). Use ip_hash, hash or sticky instead.',
    },
  },
  check(ctx) {
    const { model, root } = ctx;
    for (const b of model.proxies) {
      if (!b.intent) continue;
      const arg = b.proxyPass.d.args[0];
      const t = proxyTarget(arg?.value);
      if (!t || t.variable) continue;
      const loc = locationOf(b.node);
      let framework: string | undefined;
      for (let k = 0; loc && !framework && k < loc.d.wordCount - 1; k++) framework = sessionFramework(loc.d.arg(k)!);
      framework ??= sessionFramework(t.uri ?? '');
      if (!framework) continue;
      const up = upstreamNamed(model, t.host);
      if (!up) continue;
      const own = (name: string) => up.children.filter((c) => c.d.name === name);
      if (up.children.some((c) => AFFINITY.has(c.d.name))) continue;
      if (up.children.some((c) => c.d.name === 'include' && root.unfollowed.has(c) && !isStockInclude(c.d.arg(0)))) continue;
      const servers = own('server').filter((s: ENode) => !s.d.args.slice(1).some((w) => w.value === 'backup' || w.value === 'down'));
      if (servers.length < 2) continue;
      const other = up.children.find((c) => OTHER_METHODS.has(c.d.name));
      const related = [{ file: up.file, span: up.d.args[0]?.span ?? up.d.span, note: `upstream ${up.d.arg(0)}: ${servers.length} servers, no session affinity` }];
      const data = { framework, upstream: up.d.arg(0) ?? '', count: String(servers.length), method: other?.d.name ?? '' };
      if (other) {
        ctx.report({ node: b.proxyPass, span: arg.span, messageId: 'otherMethod', data, related });
        continue;
      }
      // ip_hash does not take backup servers (nginx -t: invalid parameter "backup")
      const backup = own('server').some((s) => s.d.args.some((w) => w.value === 'backup'));
      const fixes = backup || !up.d.block?.close ? [] : fix(`Add ip_hash to upstream ${up.d.arg(0)}`, [insertAtBlockStart(ctx.text(up.file), up, ['ip_hash;'])]);
      ctx.report({ node: b.proxyPass, span: arg.span, messageId: 'notSticky', data, related, fixes });
    }
  },
};
