// Flags: a level (location, if, server…) with proxy_set_header lines of its own, below a level
//   that sets the Upgrade/Connection headers, when its own lines don't set them again.
// Because: proxy_set_header is inherited only by levels that have none of their own. One
//   `proxy_set_header Host $host;` in a location silently drops the server's Upgrade and
//   Connection lines, and the handshake fails.
// Also: `include proxy_params` (Debian's stock file, known even when not in the workspace) counts as
//   the level's own proxy_set_header lines.
// Never flags: levels with an include that could not be read (the line may be there); levels that repeat Upgrade/Connection themselves; outer levels without upgrade
//   headers; levels without proxy_set_header (they inherit everything).
import { headerName, setsUpgrade, mayBeHidden, stockProxyParams, PROXY_PARAMS_HEADERS } from '../../model/effective';
import { insertAfter } from '../../fix/edits';
import { fix, sourceOf, baseName } from '../shared';
import type { Rule } from '../types';
import type { ENode } from '../../model/tree';

export const rule: Rule = {
  meta: {
    id: 'ws-headers-not-inherited',
    severity: 'error',
    fix: 'safe',
    summary: 'Own proxy_set_header lines stop the Upgrade/Connection headers from being inherited.',
    messages: {
      dropped: 'This proxy_set_header stops inheritance: the {lost} set {where} no longer apply here, so WebSocket upgrades fail. nginx inherits proxy_set_header only when a level has none of its own.',
      droppedByParams: 'proxy_params sets proxy_set_header lines (Host, X-Real-IP, X-Forwarded-*) here, which stops inheritance: the {lost} set {where} no longer apply, so WebSocket upgrades fail. nginx inherits proxy_set_header only when a level has none of its own.',
    },
  },
  check(ctx) {
    const done = new Set<ENode>();
    for (const b of ctx.model.proxies) {
      const lvl = b.headerLevel;
      const outer = b.lostUpgradeLevel;
      if (!lvl?.node || !outer || done.has(lvl.node) || mayBeHidden(b, 'headers')) continue;
      const node = lvl.node;
      done.add(node);
      const own = node.children.filter((c) => c.d.name === 'proxy_set_header');
      // Debian's proxy_params, included from outside the workspace, sets headers at this level too
      const params = stockProxyParams(lvl, ctx.root);
      const first = own[0] ?? params;
      if (!first) continue;
      const outerHeaders = outer.children.filter((c) => c.d.name === 'proxy_set_header');
      const lostWs = outerHeaders.filter((h) => ['upgrade', 'connection'].includes(headerName(h)));
      const redefined = new Set([...own.map(headerName), ...(params ? PROXY_PARAMS_HEADERS : [])]);
      const toCopy = outerHeaders.filter((h) => !redefined.has(headerName(h)));
      if (!setsUpgrade({ children: toCopy, ctx: outer.ctx })) continue;
      const mine = [...own, ...(params ? [params] : [])].filter((h) => h.file === node.file).sort((a, b) => a.d.span.start - b.d.span.start);
      // anchor in the level's own file: its last own line, else the include that brought them in
      let anchor: ENode | undefined = mine[mine.length - 1];
      if (!anchor) for (let inc = first.includedFrom; inc && !anchor; inc = inc.includedFrom) if (inc.file === node.file) anchor = inc;
      const where = outer.node ? `in the enclosing ${outer.node.d.name}${outer.node.file !== first.file ? ` (${baseName(outer.node.file)})` : ''}` : 'at the top of the file';
      ctx.report({
        node: first,
        messageId: first === params ? 'droppedByParams' : 'dropped',
        data: { lost: lostWs.map((h) => h.d.arg(0)).join(' and ') + ' header' + (lostWs.length > 1 ? 's' : ''), where },
        related: lostWs.map((h) => ({ file: h.file, span: h.d.span, note: 'not inherited: ' + sourceOf(ctx, h) })),
        fixes: anchor ? fix(`Copy the ${toCopy.length} inherited proxy_set_header line${toCopy.length === 1 ? '' : 's'} here`, [insertAfter(ctx.text(node.file), anchor, node, toCopy.map((h) => sourceOf(ctx, h)))]) : [],
      });
    }
  },
};
