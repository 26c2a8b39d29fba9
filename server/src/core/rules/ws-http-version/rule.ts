// Flags: a block that forwards Upgrade while its effective proxy_http_version is 1.0 — set
//   explicitly, or nginx's default before 1.29.7 — or 2 (accepted since nginx 1.29.4).
// Because: an upgrade request sent as HTTP/1.0 must be ignored by a compliant server (RFC 9110
//   §7.8); strict backends answer 400, lenient ones may still switch. Since nginx 1.29.7 the
//   default is 1.1.
// Never flags: levels with an include that could not be read (the line may be there); blocks without an Upgrade header; `proxy_http_version 1.1` in effect;
//   values the target nginx refuses (`2` before 1.29.4: nginx-directive reports `invalid value`);
//   targets ≥ 1.29.7 without an explicit 1.0.
import { versionAtLeast, mayBeHidden } from '../../model/effective';
import { DEFAULT_NGINX_VERSION } from '../../options';
import { replaceWord } from '../../fix/edits';
import { addToProxyBlock, fix } from '../shared';
import type { Rule } from '../types';

export const rule: Rule = {
  meta: {
    id: 'ws-http-version',
    severity: 'error',
    fix: 'safe',
    summary: 'WebSocket proxying needs proxy_http_version 1.1 (the default before nginx 1.29.7 is 1.0).',
    messages: {
      defaulted: 'Upgrade is forwarded but proxy_http_version is not set: nginx {version} talks HTTP/1.0 to the backend, which must ignore the Upgrade header. Add "proxy_http_version 1.1;".',
      explicit: 'proxy_http_version {value} cannot carry a WebSocket upgrade: use 1.1.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const v = ctx.options.nginxVersion || DEFAULT_NGINX_VERSION;
    for (const b of model.proxies) {
      if (!b.headers.has('upgrade') || b.lostUpgradeLevel || mayBeHidden(b, 'httpVersion')) continue;
      const hv = b.httpVersion;
      const value = hv?.d.args[0];
      if (hv && value) {
        // 1.0 in any version; 2 (HTTP/2 to the backend, accepted since 1.29.4) carries no
        // Upgrade either; any other value nginx itself refuses (nginx-directive says so)
        if (value.value !== '1.0' && !(value.value === '2' && versionAtLeast(model.version, [1, 29, 4]))) continue;
        ctx.report({ node: hv, span: value.span, messageId: 'explicit', data: { value: value.value }, fixes: fix('Use proxy_http_version 1.1', [replaceWord(hv.file, value, '1.1')]) });
        continue;
      }
      if (versionAtLeast(model.version, [1, 29, 7])) continue;
      const add = addToProxyBlock(ctx, b, ['proxy_http_version 1.1;'], 'directive');
      ctx.report({ node: b.node, messageId: 'defaulted', data: { version: v }, fixes: fix('Add proxy_http_version 1.1', [add?.edit]) });
    }
  },
};
