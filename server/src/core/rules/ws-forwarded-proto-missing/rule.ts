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
import type { ENode } from '../../model/tree';
import type { Rule } from '../types';

const SCHEME_HEADERS = ['x-forwarded-proto', 'forwarded', 'x-forwarded-ssl', 'x-forwarded-scheme', 'x-scheme', 'front-end-https', 'x-url-scheme'];

function sendsScheme(headers: ReadonlySet<string> | ReadonlyMap<string, unknown>): boolean {
  for (let i = 0; i < SCHEME_HEADERS.length; i++) if (headers.has(SCHEME_HEADERS[i])) return true;
  return false;
}

/** `listen … ssl` / `listen … quic` or `ssl on` among the server's own directives. */
function speaksTls(server: ENode): boolean {
  for (const c of server.children) {
    const d = c.d;
    if (d.name === 'listen') {
      for (let k = 1; k < d.wordCount - 1; k++) {
        const v = d.arg(k);
        if (v === 'ssl' || v === 'quic') return true;
      }
    } else if (d.name === 'ssl' && d.arg(0) === 'on') return true;
  }
  return false;
}

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
    const tlsOf = new Map<ENode, boolean>();
    for (const b of model.proxies) {
      if (!b.intent || mayBeHidden(b, 'headers')) continue;
      const t = proxyTarget(b.proxyPass.d.arg(0));
      if (!t || t.variable || t.scheme !== 'http') continue;
      if (sendsScheme(b.headers)) continue;
      if (b.headerLevel && stockProxyParams(b.headerLevel, root)) continue; // sets X-Forwarded-Proto $scheme
      const server = serverOf(b.node);
      if (!server) continue;
      let tls = tlsOf.get(server);
      if (tls === undefined) tlsOf.set(server, (tls = speaksTls(server)));
      if (!tls) continue;
      const add = addToProxyBlock(ctx, b, ['proxy_set_header X-Forwarded-Proto $scheme;'], 'header');
      ctx.report({ node: b.node, messageId: 'missing', fixes: fix('Tell the backend the scheme (proxy_set_header X-Forwarded-Proto $scheme)', [add?.edit], 'safe') });
    }
  },
};
