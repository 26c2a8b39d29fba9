// Flags: a block that forwards Upgrade but whose effective Connection header is missing, empty,
//   `close` or `keep-alive`.
// Because: without `Connection: upgrade` the backend never switches protocols; nginx (before
//   1.29.7) even sends `Connection: close` by default. The handshake fails or the socket closes.
// Never flags: levels with an include that could not be read (the line may be there); blocks without an Upgrade header (plain proxies, keepalive proxies with
//   `Connection ""`); Connection values that carry `upgrade` or a variable such as
//   $connection_upgrade / $http_connection.
import { mayBeHidden } from '../../model/effective';
import { addToProxyBlock, fix, mapInsertion, baseName } from '../shared';
import { replaceWord } from '../../fix/edits';
import type { Rule } from '../types';
import type { TextEdit } from '../../types';

export const rule: Rule = {
  meta: {
    id: 'ws-connection-header-missing',
    severity: 'error',
    fix: 'safe',
    summary: 'Upgrade is forwarded but the Connection header does not ask for an upgrade.',
    messages: {
      missing: 'Upgrade is forwarded but no "proxy_set_header Connection" asks for the upgrade: nginx sends "Connection: close" upstream, so the WebSocket handshake fails.',
      wrongValue: 'Connection is set to {value} while Upgrade is forwarded: the backend is told not to upgrade, so the WebSocket handshake fails.',
    },
  },
  check(ctx) {
    const { model, root, options } = ctx;
    for (const b of model.proxies) {
      if (!b.headers.has('upgrade') || b.lostUpgradeLevel || mayBeHidden(b, 'headers')) continue;
      const conn = b.headers.get('connection');
      const value = conn?.d.args[1];
      if (conn && value) {
        const v = value.value.trim().toLowerCase();
        if (v.includes('$') || v.includes('upgrade')) continue;
        if (v !== '' && v !== 'close' && v !== 'keep-alive') continue;
      }
      // the value to write: the map variable (defining the map if needed), or the literal
      const literal = options.connectionStyle === 'literal';
      let mapEdit: TextEdit | undefined;
      let newValue = '"upgrade"';
      if (!literal) {
        if (ctx.defined('connection_upgrade')) newValue = '$connection_upgrade';
        else {
          mapEdit = mapInsertion(ctx, model, root);
          if (mapEdit) newValue = '$connection_upgrade';
        }
      }
      const where = mapEdit && mapEdit.file !== b.node.file ? ` and the upgrade map in ${baseName(mapEdit.file)}` : mapEdit ? ' and the upgrade map' : '';
      if (conn && value) {
        ctx.report({
          node: conn,
          span: value.span,
          messageId: 'wrongValue',
          data: { value: value.raw },
          fixes: fix(`Set Connection to ${newValue}${where}`, [replaceWord(conn.file, value, newValue), ...(mapEdit ? [mapEdit] : [])]),
        });
      } else {
        const add = addToProxyBlock(ctx, b, [`proxy_set_header Connection ${newValue};`], 'header');
        ctx.report({
          node: b.node,
          messageId: 'missing',
          fixes: fix(`Add proxy_set_header Connection ${newValue}${where}`, [add?.edit, ...(mapEdit ? [mapEdit] : [])]),
        });
      }
    }
  },
};
