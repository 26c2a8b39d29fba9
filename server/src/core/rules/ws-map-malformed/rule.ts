// Flags: an upgrade map (source $http_upgrade, or a target like $connection_upgrade) that is
//   written wrong: `$` signs lost (the article's garbled `map httpupgradeconnection_upgrade {…}`),
//   a default that is not `upgrade`, an empty key that maps to `upgrade`, or no empty-key entry.
// Because: the map must give `upgrade` when the client asks to upgrade and `close` (or "") when
//   it doesn't; otherwise WebSocket requests get `Connection: close`, or every plain request is
//   asked to upgrade.
// Never flags: maps unrelated to upgrades; the canonical map and its keepalive variant
//   (`'' ''`); entries written with typographic quotes (typographic-quotes handles those).
import { upgradeMapLines } from '../../fix/edits';
import { indentAt } from '../../text';
import { fix } from '../shared';
import type { Rule } from '../types';

const CURLY = /^[“”‘’]+$/;

export const rule: Rule = {
  meta: {
    id: 'ws-map-malformed',
    severity: 'error',
    fix: 'safe',
    summary: 'The $http_upgrade → $connection_upgrade map is malformed.',
    messages: {
      lostDollar: 'This map has lost its "$" signs ({args}): it must read "map $http_upgrade $connection_upgrade".',
      lostDollarArgs: 'invalid number of arguments in "map" directive: this map has lost its "$" signs ({args}); it must read "map $http_upgrade $connection_upgrade".',
      lostDollarName: 'invalid variable name "{name}": this map has lost its "$" signs ({args}); it must read "map $http_upgrade $connection_upgrade".',
      badDefault: 'The upgrade map\'s default is {value}: requests asking to upgrade get "Connection: {value}" and the WebSocket handshake fails. Use "default upgrade;".',
      noDefault: 'The upgrade map has no "default upgrade;": requests asking to upgrade get an empty Connection header and the handshake fails.',
      emptyUpgrades: 'The upgrade map sends "upgrade" for requests without an Upgrade header: plain requests are asked to switch protocols. Map \'\' to close (or \'\').',
      noEmpty: 'The upgrade map has no \'\' entry: requests without an Upgrade header get "Connection: upgrade". Add "\'\' close;".',
    },
  },
  check(ctx) {
    for (const m of ctx.model.maps) {
      const args = m.d.args;
      const all = args.map((a) => a.value).join(' ');
      const looksUpgrade = /http_?upgrade/i.test(all) || /connection_?upgrade/i.test(all);
      if (!looksUpgrade || !m.d.block?.close) continue;
      const text = ctx.text(m.file);
      const indent = indentAt(text, m.d.span.start);
      const target = args.length === 2 && args[1].value.startsWith('$') ? args[1].value.slice(1) : 'connection_upgrade';
      const entries = m.children.filter((c) => c.file === m.file && c.d.words.length === 2);
      const emptyEntry = entries.find((e) => e.d.words[0].value === '' || CURLY.test(e.d.words[0].raw));
      const emptyValue = emptyEntry?.d.words[1].value;
      const keepalive = emptyValue === '' ? "''" : 'close';
      const canonical = upgradeMapLines(keepalive, target).map((l, i) => (i === 0 ? l : indent + l)).join(text.includes('\r\n') ? '\r\n' : '\n');
      const replace = fix('Replace with the canonical upgrade map', [{ file: m.file, span: { start: m.d.span.start, end: m.d.span.end }, text: canonical }]);
      const lost = args.length !== 2 || !args[0].value.startsWith('$') || !args[1].value.startsWith('$');
      if (lost) {
        if (args.length === 2 && /^\$http_upgrade$/i.test(args[0].value) && args[1].value.startsWith('$')) continue;
        // this replaces nginx's own finding, so say what `nginx -t` will say when it rejects the map
        // (ngx_http_map_block: two arguments, the second one a "$" variable)
        const messageId = args.length !== 2 ? 'lostDollarArgs' : !args[1].value.startsWith('$') ? 'lostDollarName' : 'lostDollar';
        ctx.report({ node: m, messageId, data: { args: args.map((a) => a.raw).join(' '), name: args[1]?.value ?? '' }, fixes: replace, replacesNginx: true });
        continue;
      }
      if (!/^\$http_upgrade$/i.test(args[0].value)) continue;
      // an entry with the wrong word count is nginx's own error ("invalid number of the map parameters")
      if (m.children.some((c) => c.file === m.file && c.d.words.length !== 2 && !(c.d.words.length === 1 && /^(hostnames|volatile)$/.test(c.d.name)))) continue;
      const def = entries.find((e) => e.d.words[0].value === 'default' && e.d.words[0].quote === 'none');
      const dv = def?.d.words[1];
      if (!def) ctx.report({ node: m, messageId: 'noDefault', fixes: replace });
      else if (dv && !dv.value.includes('$') && dv.value.toLowerCase() !== 'upgrade') ctx.report({ node: def, span: dv.span, messageId: 'badDefault', data: { value: dv.raw }, fixes: replace });
      if (emptyEntry && emptyValue !== undefined && emptyValue.toLowerCase() === 'upgrade') ctx.report({ node: emptyEntry, span: emptyEntry.d.words[1].span, messageId: 'emptyUpgrades', fixes: replace });
      else if (!emptyEntry && def && dv && dv.value.toLowerCase() === 'upgrade') ctx.report({ node: m, messageId: 'noEmpty', fixes: replace });
    }
  },
};
