// Flags: a WebSocket endpoint whose effective proxy_read_timeout is 60 s or less (nginx's
//   default when unset).
// Because: nginx closes a proxied connection after proxy_read_timeout without data from the
//   backend; an idle WebSocket drops after 60 s (close code 1006 in the browser).
//   With a CDN or load balancer in front (the frontedBy setting), that front's own idle limit
//   (Cloudflare 100 s, an AWS ALB 60 s) closes the connection whatever proxy_read_timeout says:
//   the advice becomes "ping more often than every N s", also where the timeout is long enough.
// Never flags: levels with an include that could not be read (the line may be there); non-WebSocket proxies; timeouts above 60 s; values nginx cannot parse (nginx -t
//   reports those).
import { parseSeconds, mayBeHidden } from '../../model/effective';
import { frontIdle, optionDefault } from '../../options';
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
      defaultedFronted: 'proxy_read_timeout is not set: nginx closes this WebSocket after 60 s without a message from the backend, and {front} closes it after {frontSeconds} s whatever nginx allows. Raise proxy_read_timeout (e.g. {value}) and send a ping more often than every {ping} s.',
      shortFronted: 'proxy_read_timeout {value} closes this WebSocket after {seconds} s without a message from the backend, and {front} closes it after {frontSeconds} s whatever nginx allows: send a ping more often than every {ping} s.',
      fronted: '{Front} closes a WebSocket after {frontSeconds} s without data, whatever proxy_read_timeout says: have the client or the server send a ping more often than every {ping} s.',
    },
  },
  check(ctx) {
    const value = ctx.options.readTimeout || optionDefault<string>('readTimeout');
    const front = frontIdle(ctx.options.frontedBy);
    const frontData: Record<string, string> = front ? { front: front.label, Front: front.label.charAt(0).toUpperCase() + front.label.slice(1), frontSeconds: String(front.seconds) } : {};
    for (const b of ctx.model.proxies) {
      if (!b.intent || mayBeHidden(b, 'readTimeout')) continue;
      const rt = b.readTimeout;
      if (!rt) {
        const add = addToProxyBlock(ctx, b, [`proxy_read_timeout ${value};`], 'directive');
        const ping = String(front?.seconds ?? 60); // once raised, the front's limit is the one left
        ctx.report({ node: b.node, messageId: front ? 'defaultedFronted' : 'defaulted', data: { value, ping, ...frontData }, fixes: fix(`Add proxy_read_timeout ${value}`, [add?.edit]) });
        continue;
      }
      const w = rt.d.args[0];
      if (!w) continue;
      const s = parseSeconds(w.value);
      if (!(s <= 60)) {
        // long enough for nginx; a front with a shorter idle limit still closes it
        if (front) ctx.report({ node: rt, span: w.span, messageId: 'fronted', data: { ...frontData, ping: String(Math.min(s, front.seconds)) } });
        continue;
      }
      // editing an outer level's value would change every location under it: only fix it in place
      const own = rt.parent === b.node;
      const ping = String(Math.min(s, front?.seconds ?? s));
      ctx.report({ node: rt, span: w.span, messageId: front ? 'shortFronted' : 'short', data: { value: w.value, seconds: String(s), ping, ...frontData }, fixes: own ? fix(`Set proxy_read_timeout ${value}`, [replaceWord(rt.file, w, value)]) : [] });
    }
  },
};
