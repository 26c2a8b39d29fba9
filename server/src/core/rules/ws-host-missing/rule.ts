// Flags: a WebSocket endpoint that sends the backend nginx's default `Host: $proxy_host` (the
//   proxy_pass address or upstream name) because no proxy_set_header Host is in force there.
// Because: a backend that checks the handshake's Origin against Host (Jupyter/Tornado,
//   code-server, Grafana, Phoenix, ActionCable, gorilla/websocket…) sees
//   `Origin: https://example.com` beside `Host: 127.0.0.1:8080` and answers 403; plain HTTP
//   requests work, so only the WebSocket breaks (test/proof/apps.test.ts shows it on a real nginx).
//   Whether a given backend checks is not known here (many do not, or allow any origin), so the
//   finding is information, not a warning.
// Never flags: a Host header set at any level in force (including Debian's proxy_params);
//   levels with an include that could not be read; proxy_pass with variables; a proxy_pass to a
//   dotted host name that is not an upstream (an outside service that may need its own name);
//   non-WebSocket proxies.
import { mayBeHidden, stockProxyParams } from '../../model/effective';
import { addToProxyBlock, fix, isAddressHost, proxyTarget, upstreamNamed } from '../shared';
import type { Rule } from '../types';

export const HOST_LINE = 'proxy_set_header Host $http_host;';

export const rule: Rule = {
  meta: {
    id: 'ws-host-missing',
    severity: 'info',
    fix: 'safe',
    summary: 'A WebSocket location sends the backend Host: $proxy_host; backends that check Origin against Host refuse the handshake (403).',
    messages: {
      defaultHost: 'No proxy_set_header Host is in force here, so nginx sends the backend "Host: {sent}", not the host the browser used: a backend that checks Origin against Host (Jupyter, code-server, Grafana, Phoenix, ActionCable…) refuses the WebSocket with 403. Forward the client\'s Host: proxy_set_header Host $http_host;',
    },
  },
  check(ctx) {
    const { model, root } = ctx;
    for (const b of model.proxies) {
      if (!b.intent || mayBeHidden(b, 'headers')) continue;
      if (b.headers.has('host')) continue;
      if (b.headerLevel && stockProxyParams(b.headerLevel, root)) continue; // proxy_params sets Host $http_host
      const arg = b.proxyPass.d.args[0];
      const t = proxyTarget(arg?.value);
      if (!t || t.variable) continue;
      const upstream = !!upstreamNamed(model, t.host);
      if (!upstream && !isAddressHost(t.host) && t.host.includes('.')) continue;
      const defaultPort = t.scheme === 'https' ? '443' : '80';
      const sent = t.host === 'unix:' ? 'localhost' : t.port && t.port !== defaultPort && !upstream ? `${t.host}:${t.port}` : t.host;
      const add = addToProxyBlock(ctx, b, [HOST_LINE], 'header');
      ctx.report({ node: b.proxyPass, span: arg.span, messageId: 'defaultHost', data: { sent }, fixes: fix('Forward the client\'s Host (proxy_set_header Host $http_host)', [add?.edit]) });
    }
  },
};
