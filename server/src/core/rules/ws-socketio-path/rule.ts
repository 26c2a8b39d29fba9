// Flags: a prefix location whose path holds Socket.IO's or Engine.IO's endpoint (`/socket.io/`,
//   `/engine.io/`) with a proxy_pass URI that replaces that part of the path
//   (`location /socket.io/ { proxy_pass http://app/; }`).
// Because: nginx replaces the part of the request path the location matched with proxy_pass's
//   URI, so the backend gets `/?EIO=4&transport=polling` instead of `/socket.io/?EIO=4…`;
//   the Socket.IO server, which listens on `/socket.io/`, never sees its requests (404, or the
//   app's own page), and the client retries forever. test/proof/apps.test.ts shows it.
// Never flags: a proxy_pass without URI (the path is passed as it is); a URI that keeps the
//   framework's segment (`proxy_pass http://app/socket.io/;`); a prefix stripped before it
//   (`location /chat/ { proxy_pass http://app/; }`, requests to /chat/socket.io/); regex and named
//   locations, `if` blocks and locations with `rewrite` (nginx uses another URI there); variables.
import { replaceWord } from '../../fix/edits';
import { locationOf, proxyTarget } from '../shared';
import type { Fix } from '../../types';
import type { Rule } from '../types';

const SEGMENT = /\/(socket\.io|engine\.io)(?=\/|$)/i;

export const rule: Rule = {
  meta: {
    id: 'ws-socketio-path',
    severity: 'warning',
    fix: 'safe',
    summary: 'proxy_pass\'s URI replaces /socket.io/ in the path: the Socket.IO server never sees its requests.',
    messages: {
      rewritten: 'nginx replaces the matched {path} with this URI, so the backend gets "{sent}?EIO=4…" instead of "{wanted}?EIO=4…": the {framework} server listens on {segment}/ and never sees the request (404), and the client retries forever.',
    },
  },
  check(ctx) {
    for (const b of ctx.model.proxies) {
      const loc = locationOf(b.node);
      if (!loc || loc !== b.node) continue; // inside `if`/limit_except a URI is nginx's error
      const argc = loc.d.wordCount - 1;
      const first = loc.d.arg(0);
      const path = argc === 1 ? first : argc === 2 && (first === '^~' || first === '=') ? loc.d.arg(1) : undefined;
      if (!path || !path.startsWith('/')) continue;
      const seg = SEGMENT.exec(path);
      if (!seg) continue;
      if (loc.children.some((c) => c.d.name === 'rewrite')) continue;
      const arg = b.proxyPass.d.args[0];
      const t = proxyTarget(arg?.value);
      if (!t || t.variable || t.uri === undefined || t.host === 'unix:') continue;
      // the client asks for <path>; the part after the framework's segment stays, the rest is replaced
      const tail = path.endsWith('/') ? '' : '/';
      const sent = t.uri + tail;
      if (SEGMENT.test(sent)) continue;
      const keep = path.slice(seg.index); // "/socket.io/" (and what follows it in the location path)
      const wanted = t.uri.replace(/\/+$/, '') + keep;
      const authority = arg.value.slice(0, arg.value.length - t.uri.length);
      const fixes: Fix[] = [{ title: `Keep ${seg[0]} in the path (proxy_pass ${authority}${wanted})`, kind: t.uri === '/' ? 'safe' : 'suggestion', edits: [replaceWord(b.proxyPass.file, arg, authority + wanted)] }];
      ctx.report({
        node: b.proxyPass,
        span: arg.span,
        messageId: 'rewritten',
        data: { path, sent, wanted: wanted + tail, framework: seg[1].toLowerCase() === 'socket.io' ? 'Socket.IO' : 'Engine.IO', segment: seg[0] },
        fixes,
      });
    }
  },
};
