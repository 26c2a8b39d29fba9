// Flags: a WebSocket endpoint of an application known to compare Origin with Host (by its path:
//   ActionCable's /cable, Phoenix's /live and /socket/websocket, Jupyter's /api/kernels and
//   /terminals/websocket, Grafana Live's /api/live; or by its upstream's name: jupyter,
//   code-server, grafana, galene) that sends the backend nginx's default `Host: $proxy_host` (the
//   proxy_pass address or upstream name) because no proxy_set_header Host is in force there.
// Because: a backend that checks the handshake's Origin against Host (Jupyter/Tornado,
//   code-server, Grafana, Phoenix, ActionCable, gorilla/websocket…) sees
//   `Origin: https://example.com` beside `Host: 127.0.0.1:8080` and answers 403; plain HTTP
//   requests work, so only the WebSocket breaks (test/proof/apps.test.ts shows it on a real nginx).
//   Other backends often do not check (most of the working configurations of the corpus send no
//   Host), and even these applications can be told to accept any origin: information, not a warning.
//   The fix is safe all the same: the Host it replaces (an address, a container or upstream
//   name) means nothing to the backend, and forwarding the browser's is what these
//   applications' proxy guides prescribe.
// Never flags: a Host header set at any level in force (including Debian's proxy_params);
//   levels with an include that could not be read; proxy_pass with variables; a proxy_pass to a
//   dotted host name that is not an upstream (an outside service that may need its own name);
//   non-WebSocket proxies; WebSocket endpoints of applications not known to check Origin.
import { mayBeHidden, stockProxyParams } from '../../model/effective';
import { addToProxyBlock, fix, isAddressHost, locationOf, proxyTarget, upstreamNamed } from '../shared';
import type { Rule } from '../types';

/** Paths and upstream/host names of applications that refuse a cross-origin WebSocket by default. */
const CHECKING: [RegExp, 'path' | 'name', string][] = [
  [/(^|[/^])cable(?=$|[/$?)\\])/i, 'path', 'ActionCable'],
  [/(^|[/^])(live(\/websocket)?|socket\/websocket)(?=$|[/$?)\\])/i, 'path', 'Phoenix'],
  [/(^|[/^])(api\/kernels|terminals\/websocket)(?=$|[/$?)\\])/i, 'path', 'Jupyter'],
  [/(^|[/^])api\/live(?=$|[/$?)\\])/i, 'path', 'Grafana Live'],
  [/(^|[-_.])jupyter\w*([-_.]|$)/i, 'name', 'Jupyter'],
  [/(^|[-_.])code[-_]?server([-_.]|$)/i, 'name', 'code-server'],
  [/(^|[-_.])grafana([-_.]|$)/i, 'name', 'Grafana'],
  [/(^|[-_.])galene([-_.]|$)/i, 'name', 'Galène'],
];

/** The application a location's paths or its proxy_pass host name point to, among those. */
function checkingApp(paths: string[], host: string): string | undefined {
  for (const [re, kind, app] of CHECKING) if (kind === 'path' ? paths.some((p) => re.test(p)) : re.test(host)) return app;
  return undefined;
}

export const HOST_LINE = 'proxy_set_header Host $http_host;';

export const rule: Rule = {
  meta: {
    id: 'ws-host-missing',
    severity: 'info',
    fix: 'safe',
    summary: 'A WebSocket location of an app that checks Origin against Host (ActionCable, Phoenix, Jupyter, Grafana…) sends Host: $proxy_host; the handshake gets 403.',
    messages: {
      defaultHost: 'No proxy_set_header Host is in force here, so nginx sends the backend "Host: {sent}", not the host the browser used: an application that checks Origin against Host, as {app} does by default, refuses the WebSocket with 403. Forward the client\'s Host: proxy_set_header Host $http_host;',
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
      const loc = locationOf(b.node);
      const paths = [...(loc ? loc.d.args.map((w) => w.value) : []), t.uri ?? ''];
      const app = checkingApp(paths, t.host);
      if (!app) continue;
      const defaultPort = t.scheme === 'https' ? '443' : '80';
      const sent = t.host === 'unix:' ? 'localhost' : t.port && t.port !== defaultPort && !upstream ? `${t.host}:${t.port}` : t.host;
      const add = addToProxyBlock(ctx, b, [HOST_LINE], 'header');
      ctx.report({ node: b.proxyPass, span: arg.span, messageId: 'defaultHost', data: { sent, app }, fixes: fix('Forward the client\'s Host (proxy_set_header Host $http_host)', [add?.edit], 'safe') });
    }
  },
};
