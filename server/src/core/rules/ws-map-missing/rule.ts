// Flags: a variable in a proxy_set_header Upgrade/Connection value that nothing defines —
//   typically $connection_upgrade used without its map.
// Because: `nginx -t` fails with `unknown "connection_upgrade" variable`, with no file or line.
// Never flags: variables defined anywhere in the include graph (map, set, geo… — in any file,
//   before or after the use) or, for a file nobody includes, anywhere in the workspace (the map
//   in conf.d/00-map.conf beside conf.d/app.conf); built-in variables; graphs with an include
//   that could not be followed (the map may live there), unless it is a stock file such as
//   certbot's options-ssl-nginx.conf, known to define no variable.
import { headerName, hidesSomething } from '../../model/effective';
import { isKnownVariable } from '../../data/directives';
import { baseName, fix, mapInsertion } from '../shared';
import type { Rule } from '../types';

const VAR = /\$(?:\{(\w+)\}|(\w+))/g;

export const rule: Rule = {
  meta: {
    id: 'ws-map-missing',
    severity: 'error',
    severityNote: 'warning in a fragment no nginx.conf includes',
    fix: 'safe',
    fixNote: 'may edit nginx.conf',
    summary: '$connection_upgrade (or another header variable) is used but no map defines it (`nginx -t`: unknown variable).',
    messages: {
      missing: 'unknown "{name}" variable: no map defines ${name}, so "nginx -t" fails. Add the upgrade map to the http block.',
      missingHere: 'No map in this workspace defines ${name}: unless the main nginx.conf defines it, "nginx -t" fails with unknown "{name}" variable.',
    },
  },
  check(ctx) {
    const { root, model } = ctx;
    // the map may live in an include that could not be read; a stock file (certbot's
    // options-ssl-nginx.conf, proxy_params…) holds none
    if (hidesSomething(root)) return;
    const seen = new Set<string>();
    {
      for (const n of model.named('proxy_set_header')) {
        if (n.ctx === 'unknown' || n.ctx === 'handler') continue;
        const h = headerName(n);
        if (h !== 'connection' && h !== 'upgrade') continue;
        const value = n.d.args[1];
        if (!value || !value.value.includes('$')) continue;
        for (const m of value.value.matchAll(VAR)) {
          const name = m[1] ?? m[2];
          if (ctx.defined(name) || isKnownVariable(name)) continue;
          const at = value.raw.indexOf(m[0]);
          const span = { start: value.span.start + Math.max(0, at), end: value.span.start + Math.max(0, at) + m[0].length };
          const key = `${n.file}:${span.start}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const edit = h === 'connection' ? mapInsertion(ctx, model, root, 'close', name) : undefined;
          const main = root.kind === 'main';
          ctx.report({
            node: n,
            span,
            messageId: main ? 'missing' : 'missingHere',
            data: { name },
            severity: main ? 'error' : 'warning',
            replacesNginx: true,
            fixes: edit ? fix(`Add the map for $${name} to ${edit.file === n.file ? 'this file' : baseName(edit.file)}`, [edit]) : [],
          });
        }
      }
    }
  },
};
