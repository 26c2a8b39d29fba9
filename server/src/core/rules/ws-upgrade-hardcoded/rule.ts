// Flags: `proxy_set_header Upgrade websocket` (or any literal without a variable).
// Because: every request through that level, WebSocket or not, is sent upstream with
//   `Upgrade: websocket`; backends then try to upgrade plain HTTP requests. $http_upgrade
//   forwards what the client actually asked for (and nothing for plain requests).
// Never flags: `$http_upgrade` or any value built from variables; a literal in a location whose
//   path is a WebSocket-only endpoint (`/ws`, `/websocket`…: only upgrade requests go there) —
//   but still in Socket.IO, SockJS, SignalR and ActionCable paths, whose clients fall back to
//   plain HTTP polling through the same location.
import { headerName, isWsPath } from '../../model/effective';
import { replaceWord } from '../../fix/edits';
import { fix } from '../shared';
import type { Rule } from '../types';

/** Framework paths that carry plain HTTP requests too (long-polling, negotiation). */
const POLLING_PATH = /(socket\.io|sockjs|signalr|hubs|cable|engine\.io)/i;

export const rule: Rule = {
  meta: {
    id: 'ws-upgrade-hardcoded',
    severity: 'warning',
    fix: 'safe',
    summary: 'Upgrade is set to a literal instead of $http_upgrade.',
    messages: {
      literal: 'Upgrade is always {value}: plain HTTP requests are sent upstream as upgrade requests too. Forward the client\'s header with $http_upgrade.',
    },
  },
  check(ctx) {
    for (const n of ctx.model.named('proxy_set_header')) {
        if (headerName(n) !== 'upgrade' || n.ctx === 'unknown') continue;
        const v = n.d.args[1];
        if (!v || v.value.includes('$') || v.value === '') continue;
        let loc = n.parent;
        while (loc && loc.d.name !== 'location') loc = loc.parent;
        if (loc && loc.d.args.some((a) => isWsPath(a.value) && !POLLING_PATH.test(a.value))) continue;
        ctx.report({ node: n, span: v.span, messageId: 'literal', data: { value: v.raw }, fixes: fix('Use $http_upgrade', [replaceWord(n.file, v, '$http_upgrade')]) });
    }
  },
};
