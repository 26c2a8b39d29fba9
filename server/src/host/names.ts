// What makes a path an nginx file by its name alone: shared by the folder scan on disk and the
// web server's scan through the editor's file system (no Node module here, so both can use it).

const NGINX_DIR_RE = /(^|\/)(nginx|conf\.d|sites-(available|enabled)|snippets)(\/|$)/;

const baseOf = (file: string) => file.slice(file.lastIndexOf('/') + 1);
const dirOf = (file: string) => (file.lastIndexOf('/') > 0 ? file.slice(0, file.lastIndexOf('/')) : file.startsWith('/') ? '/' : '.');

/** Is this the name of a file the product treats as nginx configuration? */
export function isNginxFileName(file: string): boolean {
  const base = baseOf(file);
  if (base === 'nginx.conf' || base.endsWith('.nginx') || base.endsWith('.nginxconf')) return true;
  if (/\/sites-(available|enabled)\/[^/]+$/.test(file) && !base.startsWith('.')) return true;
  const dir = dirOf(file);
  if (base.endsWith('.conf') && NGINX_DIR_RE.test(dir)) return true;
  // the nginx Docker image renders /etc/nginx/templates/*.template into conf.d (the client's
  // filenamePatterns claim the same folders)
  if (base.endsWith('.conf.template') && (NGINX_DIR_RE.test(dir) || /(^|\/)templates(\/|$)/.test(dir))) return true;
  return false;
}

/** A bare *.conf outside nginx folders counts when its first lines (about 4 KB) look like nginx. */
export function looksLikeNginxText(head: string): boolean {
  return /^\s*(http|server|events|upstream|location\s|map\s+\$|worker_processes|proxy_pass|include\s)/m.test(head);
}
