// Flags: `proxy_set_header Connection "upgrade"` — the article's example one — on a level that
//   also proxies plain HTTP.
// Because: every request through that level, WebSocket or not, is sent upstream with
//   `Connection: upgrade`; plain requests lose keep-alive and some backends reject them. The
//   $connection_upgrade map (example two) sends upgrade only when the client asked for it.
// Never flags: the map form; Connection values that are variables; literal "upgrade" in a
//   location whose path is a WebSocket endpoint (only upgrade requests go there), or on a level
//   whose every proxying location that sends it is such an endpoint; any literal when
//   the setting nginxWebSocket.connectionStyle is "literal".
import { headerName, isWsPath } from '../../model/effective';
import { replaceWord } from '../../fix/edits';
import { fix, mapInsertion, baseName } from '../shared';
import type { Rule } from '../types';
import type { ENode } from '../../model/tree';

const locationOf = (n: ENode): ENode | undefined => {
  let loc: ENode | undefined = n;
  while (loc && loc.d.name !== 'location') loc = loc.parent;
  return loc;
};
const wsLocation = (loc: ENode | undefined): boolean => !!loc && loc.d.args.some((a) => isWsPath(a.value));

export const rule: Rule = {
  meta: {
    id: 'ws-connection-hardcoded',
    severity: 'info',
    fix: 'suggestion',
    summary: 'Connection "upgrade" is sent for every request; prefer the $connection_upgrade map.',
    messages: {
      literal: 'Connection is always {value}: plain HTTP requests through here are asked to upgrade too and lose keep-alive. The $connection_upgrade map sends "upgrade" only when the client asks for it.',
    },
  },
  check(ctx) {
    if (ctx.options.connectionStyle === 'literal') return;
    const { model, root } = ctx;
    for (const n of model.named('proxy_set_header')) {
        if (headerName(n) !== 'connection' || n.ctx === 'unknown') continue;
        const v = n.d.args[1];
        if (!v || v.value.toLowerCase() !== 'upgrade') continue;
        if (wsLocation(locationOf(n))) continue;
        // set on a server (or http) level: judged by the locations that send it; when each of
        // them is a WebSocket endpoint, no plain request goes through it (the ws-server snippet)
        const senders = model.proxies.filter((b) => b.headers.get('connection') === n);
        if (senders.length && senders.every((b) => wsLocation(locationOf(b.node)))) continue;
        const mapEdit = ctx.defined('connection_upgrade') ? undefined : mapInsertion(ctx, model, root);
        if (!ctx.defined('connection_upgrade') && !mapEdit) {
          ctx.report({ node: n, span: v.span, messageId: 'literal', data: { value: v.raw } });
          continue;
        }
        const where = mapEdit ? ` and add the map${mapEdit.file !== n.file ? ` to ${baseName(mapEdit.file)}` : ''}` : '';
        ctx.report({ node: n, span: v.span, messageId: 'literal', data: { value: v.raw }, fixes: fix(`Use $connection_upgrade${where}`, mapEdit ? [replaceWord(n.file, v, '$connection_upgrade'), mapEdit] : [replaceWord(n.file, v, '$connection_upgrade')], 'suggestion') });
    }
  },
};
