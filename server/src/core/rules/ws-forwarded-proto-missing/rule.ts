// Flags: a WebSocket endpoint in a TLS server (`listen … ssl`, `listen … quic`, `ssl on`) that
//   proxies over plain http:// without telling the backend the client's scheme (no
//   X-Forwarded-Proto, Forwarded or X-Forwarded-Ssl header in force).
// Because: the backend then believes the page was served over http and builds `ws://` URLs
//   (Socket.IO's, SignalR's, a framework's absolute links) or an `http://` Origin allow-list entry;
//   a page served over https may not open `ws://` (mixed content), and an Origin check comparing
//   schemes refuses it. Whether the backend builds such URLs is not known here: a hint. The
//   fix is safe all the same: it adds a true header and replaces none, so a backend that does
//   not read it sees no difference.
// Never flags: servers without TLS; a proxy_pass to https:// (the backend sees TLS itself);
//   headers that carry the scheme at a level in force (Debian's proxy_params included); levels
//   with an include that could not be read; non-WebSocket proxies.
import { mayBeHidden, stockProxyParams } from '../../model/effective';
import { addToProxyBlock, fix, proxyTarget, serverOf } from '../shared';
import type { Rule } from '../types';

const SCHEME_HEADERS = ['x-forwarded-proto', 'forwarded', 'x-forwarded-ssl', 'x-forwarded-scheme', 'x-scheme', 'front-end-https', 'x-url-scheme'];

export const rule: Rule = {
  meta: {
    id: 'ws-forwarded-proto-missing',
    severity: 'hint',
    fix: 'safe',
    summary: 'A WebSocket location of a TLS server does not tell the backend the scheme (X-Forwarded-Proto); apps then build ws:// URLs behind https.',
    messages: {
      missing: 'This server speaks TLS, but the backend is not told so (no X-Forwarded-Proto): an application that builds its WebSocket URL or checks Origin from the scheme it sees uses ws:// and http://, which an https page refuses (mixed content). Add proxy_set_header X-Forwarded-Proto $scheme;',
    },
  },
  check(ctx) {
    const { model, root } = ctx;
    for (const b of model.proxies) {
      if (!b.intent || mayBeHidden(b, 'headers')) continue;
      const t = proxyTarget(b.proxyPass.d.arg(0));
      if (!t || t.variable || t.scheme !== 'http') continue;
      if (SCHEME_HEADERS.some((h) => b.headers.has(h))) continue;
      if (b.headerLevel && stockProxyParams(b.headerLevel, root)) continue; // sets X-Forwarded-Proto $scheme
      const server = serverOf(b.node);
      if (!server) continue;
      const tls = server.children.some((c) => (c.d.name === 'listen' && c.d.args.slice(1).some((w) => w.value === 'ssl' || w.value === 'quic')) || (c.d.name === 'ssl' && c.d.arg(0) === 'on'));
      if (!tls) continue;
      const add = addToProxyBlock(ctx, b, ['proxy_set_header X-Forwarded-Proto $scheme;'], 'header');
      ctx.report({ node: b.node, messageId: 'missing', fixes: fix('Tell the backend the scheme (proxy_set_header X-Forwarded-Proto $scheme)', [add?.edit], 'safe') });
    }
  },
};
