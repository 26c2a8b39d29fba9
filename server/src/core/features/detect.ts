// Whether a file outside the editor's nginx patterns is an nginx configuration: its first
// statement, past comments and blank lines, opens a block nginx has at the top of a
// configuration or of an included file (`server {`, `http {`, `upstream x {`, `location / {`…),
// or is one of the few directives only nginx's main level has. Conservative: a `.conf` of
// another program (Apache's `<VirtualHost>`, an INI `[section]`, `key = value`) is not claimed.
// Pure: reads the text only.

/** Block openers that start an nginx file. */
const BLOCK_START = /^(?:http|server|events|stream|mail|upstream|location|map|geo|split_clients|types)\b[^;{}=<>[\]]*\{/;
/** Main-level directives that open many nginx.conf files, followed by a terminated statement. */
const MAIN_START = /^(?:user|worker_processes|worker_rlimit_nofile|pid|load_module|error_log|include)\s+[^;{}=<>[\]]+;/;

/** How much of a file is read to decide (a licence header may come first). */
const HEAD_BYTES = 8192;

export function looksLikeNginx(text: string): boolean {
  const head = text.slice(0, HEAD_BYTES).replace(/^\uFEFF/, '');
  for (const raw of head.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // the first statement decides: it may continue on the next lines (`server\n{`)
    const rest = head.slice(head.indexOf(raw)).replace(/#[^\n]*/g, '').replace(/\s+/g, ' ').trim();
    if (MAIN_START.test(rest)) return true;
    if (!BLOCK_START.test(rest)) return false;
    // inside the block, nginx's statements are `name args;`, never `key = value` (HCL, HOCON)
    const inner = rest.slice(rest.indexOf('{') + 1).split(/[;{}]/)[0].trim().split(' ');
    return !(inner[0].includes('=') || (inner[0] !== 'location' && inner[1]?.startsWith('=')));
  }
  return false;
}
