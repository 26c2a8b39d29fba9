// Flags: a WebSocket endpoint whose effective proxy_read_timeout is 60 s or less (nginx's
//   default when unset).
// Because: nginx closes a proxied connection after proxy_read_timeout without data from the
//   backend; an idle WebSocket drops after 60 s (close code 1006 in the browser).
// Never flags: levels with an include that could not be read (the line may be there); non-WebSocket proxies; timeouts above 60 s; values nginx cannot parse (nginx -t
//   reports those).
import { parseSeconds, mayBeHidden } from '../../model/effective';
import { optionDefault } from '../../options';
import { replaceWord } from '../../fix/edits';
import { addToProxyBlock, fix } from '../shared';
import type { Rule } from '../types';

export const rule: Rule = {
  meta: {
    id: 'ws-read-timeout',
    severity: 'hint',
    fix: 'safe',
    summary: 'Idle WebSocket connections drop after proxy_read_timeout (60 s by default).',
    messages: {
      defaulted: 'proxy_read_timeout is not set: nginx closes this WebSocket after 60 s without a message from the backend. Raise it (e.g. {value}) or send pings.',
      short: 'proxy_read_timeout {value} closes this WebSocket after {seconds} s without a message from the backend.',
    },
  },
  check(ctx) {
    const value = ctx.options.readTimeout || optionDefault<string>('readTimeout');
    for (const b of ctx.model.proxies) {
      if (!b.intent || mayBeHidden(b, 'readTimeout')) continue;
      const rt = b.readTimeout;
      if (!rt) {
        const add = addToProxyBlock(ctx, b, [`proxy_read_timeout ${value};`], 'directive');
        ctx.report({ node: b.node, messageId: 'defaulted', data: { value }, fixes: fix(`Add proxy_read_timeout ${value}`, [add?.edit]) });
        continue;
      }
      const w = rt.d.args[0];
      if (!w) continue;
      const s = parseSeconds(w.value);
      if (!(s <= 60)) continue;
      // editing an outer level's value would change every location under it: only fix it in place
      const own = rt.parent === b.node;
      ctx.report({ node: rt, span: w.span, messageId: 'short', data: { value: w.value, seconds: String(s) }, fixes: own ? fix(`Set proxy_read_timeout ${value}`, [replaceWord(rt.file, w, value)]) : [] });
    }
  },
};
