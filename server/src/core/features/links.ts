// Document links: an include's path links to the file it reads (a glob to its first match, in
// nginx's order), a certificate's or key's path to that file, resolved as nginx resolves it
// (relative to the configuration's folder). Pure: the files come from the Workspace's host.
import type { Workspace } from '../analysis';
import type { Directive } from '../syntax/ast';
import type { FileId, Span } from '../types';

export interface DocLink {
  /** The path as written, quotes excluded. */
  span: Span;
  target: FileId;
  /** For a glob: how many files it matches (the link goes to the first). */
  matches?: number;
}

/** Directives whose argument is a file nginx reads relative to its configuration folder. */
const PATH_DIRECTIVES = new Set([
  'ssl_certificate', 'ssl_certificate_key', 'ssl_trusted_certificate', 'ssl_client_certificate', 'ssl_crl', 'ssl_dhparam',
  'ssl_password_file', 'ssl_stapling_file', 'ssl_session_ticket_key',
  'proxy_ssl_certificate', 'proxy_ssl_certificate_key', 'proxy_ssl_trusted_certificate', 'proxy_ssl_crl', 'proxy_ssl_password_file',
  'grpc_ssl_certificate', 'grpc_ssl_certificate_key', 'grpc_ssl_trusted_certificate', 'grpc_ssl_crl', 'grpc_ssl_password_file',
  'uwsgi_ssl_certificate', 'uwsgi_ssl_certificate_key', 'uwsgi_ssl_trusted_certificate', 'uwsgi_ssl_crl', 'uwsgi_ssl_password_file',
  'auth_basic_user_file',
]);

const GLOB_RE = /[*?[]/;

export function documentLinks(ws: Workspace, file: FileId): DocLink[] {
  const p = ws.parsed(file);
  if (!p) return [];
  const roots = ws.rootsOf(file).sort((a, b) => Number(b.kind === 'main') - Number(a.kind === 'main'));
  const prefixes = roots.length ? [...new Set(roots.map((r) => ws.prefixOf(r.root, r.kind)))] : [ws.prefixOf(file, 'fragment')];
  const out: DocLink[] = [];
  const walk = (list: Directive[]) => {
    for (const d of list) {
      if (d.block) walk(d.block.children);
      if (d.wordCount !== 2 || (d.name !== 'include' && !PATH_DIRECTIVES.has(d.name))) continue;
      const w = d.args[0];
      const arg = w.value;
      // a variable ($ssl_server_name), a PEM in the directive (data:), an engine key: no file to open
      if (!arg || arg.includes('$') || /^(data|engine|store):/.test(arg)) continue;
      const q = w.quote === 'none' ? 0 : 1;
      const span = { start: w.span.start + q, end: w.span.end - q };
      for (const prefix of prefixes) {
        const files = d.name === 'include' ? ws.resolveInclude(prefix, arg).files : GLOB_RE.test(arg) ? [] : fileAt(ws, prefix, arg);
        if (!files.length) continue;
        out.push({ span, target: files[0], ...(GLOB_RE.test(arg) ? { matches: files.length } : {}) });
        break;
      }
    }
  };
  walk(p.directives);
  return out.sort((a, b) => a.span.start - b.span.start);
}

/**
 * A certificate's file, without reading it: relative to the prefix, or absolute; an absolute
 * path that does not exist here (a repository mirroring /etc/nginx) is tried under the prefix,
 * dropping leading folders, as includes are.
 */
function fileAt(ws: Workspace, prefix: string, arg: string): FileId[] {
  const join = (tail: string) => `${prefix.replace(/\/$/, '')}/${tail}`;
  if (!arg.startsWith('/')) return ws.glob(join(arg));
  const here = ws.glob(arg);
  if (here.length) return here;
  const segs = arg.split('/').filter(Boolean);
  for (let k = 1; k < segs.length; k++) {
    const f = ws.glob(join(segs.slice(k).join('/')));
    if (f.length) return f;
  }
  return [];
}
