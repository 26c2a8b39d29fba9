// Flags: `proxy_set_header Upgrade $http_upgrade` in a server that restricts some requests
//   (deny, auth_basic, auth_request, internal): any Upgrade token the client sends, `h2c`
//   included, is forwarded, not only `websocket`.
// Because: a backend that speaks cleartext HTTP/2 answers `Upgrade: h2c` with 101, nginx then
//   relays the connection as an opaque tunnel, and every request the client sends through it
//   reaches the backend without nginx's location rules (h2c smuggling): the access rules of
//   the server's other locations are bypassed (test/proof/h2c.test.ts shows it on the real nginx).
//   A map that lets only `websocket` through closes it.
// Never flags: servers with no access rule to bypass (nothing to smuggle past); an Upgrade value
//   of the configuration's own (a filter map); levels where Upgrade is not $http_upgrade.
import { headerName } from '../../model/effective';
import type { ENode } from '../../model/tree';
import { insertAtBlockStart, insertAtFileTop, replaceWord } from '../../fix/edits';
import { serverOf } from '../shared';
import type { TextEdit } from '../../types';
import type { Rule, RuleContext } from '../types';

const FILTER_VAR = 'ws_upgrade';
const FILTER_MAP = [`map $http_upgrade $${FILTER_VAR} {`, '    ~*^websocket$ websocket;', "    default       '';", '}'];

/** Directives by which nginx refuses some requests itself (what a tunnel would bypass). */
function restricts(n: ENode): boolean {
  const v = (n.d.arg(0) ?? '').toLowerCase();
  switch (n.d.name) {
    case 'deny':
    case 'internal':
    case 'auth_jwt':
      return true;
    case 'auth_basic':
    case 'auth_request':
      return v !== 'off';
    default:
      return false;
  }
}

/** Directive names restricts() may say yes to. */
const RESTRICTING = ['deny', 'internal', 'auth_jwt', 'auth_basic', 'auth_request'];

/** The servers that hold an access rule somewhere inside (from the model's index, not a walk per server). */
function restrictedServers(ctx: RuleContext): Set<ENode> {
  const out = new Set<ENode>();
  for (const name of RESTRICTING) {
    for (const n of ctx.model.named(name)) {
      if (!restricts(n)) continue;
      const s = serverOf(n);
      if (s) out.add(s);
    }
  }
  return out;
}

function mapEdit(ctx: RuleContext): TextEdit | undefined {
  const http = ctx.model.httpBlocks.find((h) => h.d.block?.close);
  if (http) return insertAtBlockStart(ctx.text(http.file), http, FILTER_MAP);
  const root = ctx.root;
  if (root.kind === 'fragment' && root.ctx === 'http') {
    const first = root.top.find((n) => n.file === root.root);
    return insertAtFileTop(root.root, ctx.text(root.root), first?.d.span.start, FILTER_MAP);
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'ws-upgrade-h2c',
    severity: 'hint',
    fix: 'suggestion',
    summary: 'Upgrade $http_upgrade forwards any upgrade token (h2c too) in a server with access rules a tunnel would bypass.',
    messages: {
      anyToken: 'Upgrade $http_upgrade forwards any upgrade token, h2c included: a backend that speaks cleartext HTTP/2 turns the connection into a tunnel past this server\'s access rules (h2c smuggling). A map that lets only "websocket" through closes it.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    let restricted: Set<ENode> | undefined;
    for (const n of model.named('proxy_set_header')) {
      if (n.ctx === 'unknown' || n.ctx === 'handler' || n.d.wordCount !== 3) continue;
      if (headerName(n) !== 'upgrade') continue;
      const w = n.d.args[1];
      if (!/^\$(http_upgrade|\{http_upgrade\})$/i.test(w.value)) continue;
      // the servers this line serves: its own, or every server below an http-level line
      const own = serverOf(n);
      const servers = own ? [own] : model.named('server').filter((s) => s.ctx === 'http');
      restricted ??= restrictedServers(ctx);
      const risky = servers.some((s) => restricted!.has(s));
      if (!risky) continue;
      const replace = replaceWord(n.file, w, `$${FILTER_VAR}`);
      const defined = ctx.defined(FILTER_VAR);
      const add = defined ? undefined : mapEdit(ctx);
      const fixes = defined || add ? [{ title: `Upgrade only to websocket (map $http_upgrade $${FILTER_VAR})`, kind: 'suggestion' as const, edits: add ? [replace, add] : [replace] }] : [];
      ctx.report({ node: n, span: w.span, messageId: 'anyToken', fixes });
    }
  },
};
