// Flags: an Upgrade header taken from the wrong variable — misspelt (`$http_upgarde`), another
//   request header (`$http_connection`), or the Connection map (`$connection_upgrade`, the two
//   headers' values swapped) — and a Connection header taken from `$http_upgrade`.
// Because: nginx accepts any `$http_*` name (it is just empty when the client sent no such
//   header), so `nginx -t` passes; but the backend then gets no Upgrade header, `Upgrade:
//   upgrade` or `Connection: websocket`, and refuses the handshake.
// Never flags: `$http_upgrade`; a variable of the configuration's own that filters the Upgrade
//   header (`map $http_upgrade $upgrade { websocket websocket; default ""; }`); variables set
//   otherwise (`set`, other maps), whose value is not known here; values mixing text and variables.
import { headerName, type WsModel } from '../../model/effective';
import { replaceWord } from '../../fix/edits';
import type { ENode } from '../../model/tree';
import { baseName, fix, mapInsertion } from '../shared';
import type { Rule } from '../types';

/** The one variable a value is (`$name` or `${name}`), lower-cased; undefined for anything else. */
function onlyVariable(value: string): string | undefined {
  const m = /^\$(?:\{(\w+)\}|(\w+))$/.exec(value);
  return m ? (m[1] ?? m[2]).toLowerCase() : undefined;
}

/** Levenshtein distance, for telling a misspelling from another header (short strings only). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

const CONNECTION_VALUES = new Set(['upgrade', 'close', 'keep-alive', '']);

/** Whether a variable is made by a map of $http_upgrade whose every value is a Connection value (the upgrade map). */
function isConnectionMap(model: WsModel, name: string): boolean {
  const defs = model.definitions.get(name);
  if (!defs?.length) return false;
  return defs.every((m: ENode) => {
    if (m.d.name !== 'map' || onlyVariable(m.d.arg(0) ?? '') !== 'http_upgrade') return false;
    const values = m.children.filter((e) => e.d.wordCount === 2).map((e) => (e.d.arg(0) ?? '').toLowerCase());
    return values.includes('upgrade') && values.every((v) => CONNECTION_VALUES.has(v));
  });
}

export const rule: Rule = {
  meta: {
    id: 'ws-upgrade-variable',
    severity: 'error',
    fix: 'safe',
    fixNote: 'may edit nginx.conf',
    summary: 'Upgrade or Connection is taken from the wrong variable (misspelt $http_upgrade, another header, or the two swapped).',
    messages: {
      misspelt: 'Upgrade is ${name}, not $http_upgrade: nginx accepts any $http_* name and it is empty here, so the backend never gets the Upgrade header and refuses the handshake.',
      otherHeader: 'Upgrade is ${name}, the client\'s {header} header, not its Upgrade header: the backend gets no "Upgrade: websocket" and refuses the handshake. Forward $http_upgrade.',
      swappedUpgrade: 'Upgrade is ${name}, the Connection map ("upgrade" or "close"): the backend gets "Upgrade: upgrade" instead of "Upgrade: websocket". The two headers look swapped: Upgrade takes $http_upgrade.',
      swappedConnection: 'Connection is $http_upgrade ("websocket"): the backend gets "Connection: websocket" with no "upgrade" token and refuses the handshake. The two headers look swapped: Connection takes $connection_upgrade.',
    },
  },
  check(ctx) {
    const { model, root } = ctx;
    for (const n of model.named('proxy_set_header')) {
      if (n.ctx === 'unknown' || n.ctx === 'handler') continue;
      const h = headerName(n);
      if (h !== 'upgrade' && h !== 'connection') continue;
      const w = n.d.args[1];
      const name = w ? onlyVariable(w.value) : undefined;
      if (!w || !name) continue;
      if (h === 'connection') {
        if (name !== 'http_upgrade') continue;
        const mapEdit = ctx.defined('connection_upgrade') ? undefined : mapInsertion(ctx, model, root);
        const where = mapEdit ? ` and add the map${mapEdit.file !== n.file ? ` to ${baseName(mapEdit.file)}` : ''}` : '';
        const edits = [replaceWord(n.file, w, '$connection_upgrade')];
        if (!ctx.defined('connection_upgrade') && !mapEdit) {
          ctx.report({ node: n, span: w.span, messageId: 'swappedConnection' });
          continue;
        }
        ctx.report({ node: n, span: w.span, messageId: 'swappedConnection', fixes: fix(`Use $connection_upgrade${where}`, mapEdit ? [...edits, mapEdit] : edits) });
        continue;
      }
      if (name === 'http_upgrade') continue;
      let messageId: string | undefined;
      let header = '';
      if (name.startsWith('http_') && !model.definitions.has(name)) {
        const rest = name.slice(5);
        header = rest.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('-');
        messageId = distance(rest, 'upgrade') <= 2 ? 'misspelt' : 'otherHeader';
      } else if (isConnectionMap(model, name)) {
        messageId = 'swappedUpgrade';
      }
      if (!messageId) continue;
      ctx.report({ node: n, span: w.span, messageId, data: { name, header }, fixes: fix('Use $http_upgrade', [replaceWord(n.file, w, '$http_upgrade')]) });
    }
  },
};
