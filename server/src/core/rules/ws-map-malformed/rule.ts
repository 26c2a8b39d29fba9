// Flags: an upgrade map (source $http_upgrade, or a target like $connection_upgrade) that is
//   written wrong: `$` signs lost (the article's garbled `map httpupgradeconnection_upgrade {…}`),
//   a default that is not `upgrade`, an empty key that maps to `upgrade`, or no empty-key entry.
// Because: the map must give `upgrade` when the client asks to upgrade and `close` (or "") when
//   it doesn't; otherwise WebSocket requests get `Connection: close`, or every plain request is
//   asked to upgrade.
// Never flags: maps unrelated to upgrades; the canonical map and its keepalive variant
//   (`'' ''`); maps that give `upgrade` to "websocket" by an entry of their own (`default
//   keep-alive; websocket upgrade;`), judged by looking the value up as nginx does; entries
//   written with typographic quotes (typographic-quotes handles those).
import { upgradeMapLines } from '../../fix/edits';
import { indentAt } from '../../text';
import { fix } from '../shared';
import type { Rule } from '../types';
import type { ENode } from '../../model/tree';

const CURLY = /^[“”‘’]+$/;

/**
 * The value a map gives `input`, searched as ngx_http_map does: exact strings first (ignoring
 * case), then the regexes in order, then `default` (none: the empty string). undefined when a
 * regex cannot be read here. `entry` is the line that decided (none: no default).
 */
function lookup(entries: ENode[], input: string): { value: string; entry?: ENode } | undefined {
  const regexes: [RegExp, ENode][] = [];
  let def: ENode | undefined;
  for (const e of entries) {
    const [k, v] = e.d.words;
    if (k.quote === 'none' && k.value === 'default') { def = e; continue; }
    if (k.quote === 'none' && /^(hostnames|volatile|include)$/.test(k.value)) continue;
    const key = CURLY.test(k.raw) ? '' : k.value;
    if (key.startsWith('~')) {
      const insensitive = key.startsWith('~*');
      try {
        regexes.push([new RegExp(key.slice(insensitive ? 2 : 1), insensitive ? 'i' : ''), e]);
      } catch {
        return undefined; // a PCRE construct JavaScript does not read
      }
      continue;
    }
    // "\default" is the string default, escaped from the special parameter
    const literal = key.startsWith('\\') ? key.slice(1) : key;
    if (literal.toLowerCase() === input) return { value: v.value, entry: e };
  }
  for (const [re, e] of regexes) if (re.test(input)) return { value: e.d.words[1].value, entry: e };
  return def ? { value: def.d.words[1].value, entry: def } : { value: '' };
}

export const rule: Rule = {
  meta: {
    id: 'ws-map-malformed',
    severity: 'error',
    fix: 'safe',
    summary: 'The $http_upgrade → $connection_upgrade map is malformed (lost `$` signs, wrong default…).',
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
      // what the map gives a WebSocket request (Upgrade: websocket) and a plain one (no header)
      const forWs = lookup(entries, 'websocket');
      if (forWs && !forWs.value.includes('$') && !/upgrade/i.test(forWs.value)) {
        if (!forWs.entry) ctx.report({ node: m, messageId: 'noDefault', fixes: replace });
        else if (forWs.entry === def && dv) ctx.report({ node: def, span: dv.span, messageId: 'badDefault', data: { value: dv.raw }, fixes: replace });
      }
      const forPlain = lookup(entries, '');
      if (forPlain && /^upgrade$/i.test(forPlain.value)) {
        if (emptyEntry && forPlain.entry === emptyEntry) ctx.report({ node: emptyEntry, span: emptyEntry.d.words[1].span, messageId: 'emptyUpgrades', fixes: replace });
        else if (forPlain.entry === def) ctx.report({ node: m, messageId: 'noEmpty', fixes: replace });
      }
    }
  },
};
