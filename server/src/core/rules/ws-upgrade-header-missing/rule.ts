// Flags: a WebSocket endpoint whose effective proxy headers have no `Upgrade` line.
// Because: nginx never forwards the client's Upgrade header (hop-by-hop); without
//   `proxy_set_header Upgrade $http_upgrade` the backend sees a plain GET and answers 400/426
//   ("Unexpected response code: 400" in the browser).
// Never flags: levels with an include that could not be read (the line may be there); proxies with no WebSocket intent (no Upgrade/Connection header anywhere, no
//   WebSocket-looking path, upstream or comment); blocks whose Upgrade line is lost only through
//   proxy_set_header inheritance (ws-headers-not-inherited says that, once).
import { mayBeHidden } from '../../model/effective';
import { addToProxyBlock, fix } from '../shared';
import type { Rule } from '../types';

export const rule: Rule = {
  meta: {
    id: 'ws-upgrade-header-missing',
    severity: 'warning',
    severityNote: 'error when Connection asks for an upgrade',
    fix: 'safe',
    summary: 'A WebSocket location does not forward the Upgrade header.',
    messages: {
      missing: 'WebSocket endpoint without "proxy_set_header Upgrade $http_upgrade": nginx drops the client\'s Upgrade header, so the handshake fails (400/426). Counted as WebSocket because {why}.',
    },
  },
  check(ctx) {
    for (const b of ctx.model.proxies) {
      if (!b.intent || b.headers.has('upgrade') || b.lostUpgradeLevel || mayBeHidden(b, 'headers')) continue;
      const conn = b.headers.get('connection');
      const certain = !!conn && /upgrade/i.test(conn.d.arg(1) ?? '');
      const add = addToProxyBlock(ctx, b, ['proxy_set_header Upgrade $http_upgrade;'], 'header');
      const title = add && add.copied ? `Add proxy_set_header Upgrade $http_upgrade (copying the ${add.copied} inherited header line${add.copied === 1 ? '' : 's'})` : 'Add proxy_set_header Upgrade $http_upgrade';
      ctx.report({
        node: b.node,
        messageId: 'missing',
        data: { why: b.intent },
        severity: certain ? 'error' : undefined,
        fixes: fix(title, [add?.edit]),
      });
    }
  },
};
