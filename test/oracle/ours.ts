// Our side of the differential test: the first nginx-level error the core reports for a
// single-file configuration, in nginx's terms (message and 1-based line).
import { validateRoot, type ValidateOptions } from '../../server/src/core/model/validate';
import { Workspace } from '../../server/src/core/index';
import type { Finding } from '../../server/src/core/types';
import { MemoryHost } from '../util/fixture';
import { posix } from 'node:path';

export const DIR = '/oracle';
export const CONF = `${DIR}/nginx.conf`;

export interface OurError {
  message: string;
  line: number;
  /** Relative to the config's directory, like nginx names it: 'nginx.conf', 'inc.conf'. */
  file: string;
  code: string;
}

/** 1-based line of an offset; nginx counts LF only. */
export function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const OPTIONS: ValidateOptions = { extraDirectives: [], directiveSet: 'light-1.22' };

/**
 * Error-severity nginx-syntax / nginx-directive findings, in the order nginx would meet them
 * (validateRoot reports in nginx's reading order, included files where they are included).
 * The file is analysed as the main configuration (what `nginx -c` makes of it): a Workspace
 * would call a file without events/http at top level a fragment and infer its context, which
 * is right in an editor but not what the nginx under test does with a truncated mutant.
 * Other files (`extra`, relative paths; `links`: relative link → relative target) sit next to it.
 */
export function ourErrors(text: string, extra: Record<string, string> = {}, links: Record<string, string> = {}): Finding[] {
  const files = new Map<string, string>([[CONF, text]]);
  for (const [rel, body] of Object.entries(extra)) files.set(`${DIR}/${rel}`, body);
  // the memory host links files only: a linked folder links each file in it
  const fileLinks = new Map<string, string>();
  for (const [link, target] of Object.entries(links)) {
    const to = resolveLink(link, target);
    if (extra[to] !== undefined) fileLinks.set(`${DIR}/${link}`, `${DIR}/${to}`);
    else for (const rel of Object.keys(extra)) if (rel.startsWith(to + '/')) fileLinks.set(`${DIR}/${link}${rel.slice(to.length)}`, `${DIR}/${rel}`);
  }
  const host = new MemoryHost(files, new Set(), fileLinks);
  const ws = new Workspace(host, { ...OPTIONS });
  ws.setFiles([...files.keys()]);
  return validateRoot(ws, CONF, 'main', 'main', OPTIONS).nginxFindings.filter(
    (f) => (f.severity === 'error' && (f.code === 'nginx-syntax' || f.code === 'nginx-directive')) || (f.code === 'nginx-include' && f.message.startsWith('open() ')),
  );
}

/** Where a link (relative path) points, relative to the config's folder. */
function resolveLink(link: string, target: string): string {
  return posix.normalize(posix.join(posix.dirname(link), target));
}

/** The file a relative path really is, through `links` (link → target as written): what nginx's named path is. */
export function realFile(rel: string, links: Record<string, string> = {}): string {
  for (const [link, target] of Object.entries(links)) {
    if (rel === link || rel.startsWith(link + '/')) return resolveLink(link, target) + rel.slice(link.length);
  }
  return rel;
}

/**
 * The message as nginx prints it: ngx_conf_log_error formats into a buffer of
 * NGX_MAX_CONF_ERRSTR (1024) bytes, so a long message (a 4 KB directive name) is cut there.
 */
export function asPrinted(message: string): string {
  const b = Buffer.from(message, 'utf8');
  return b.length <= 1024 ? message : b.subarray(0, 1024).toString('utf8');
}

export function ourFirstError(text: string, extra: Record<string, string> = {}, links: Record<string, string> = {}): OurError | undefined {
  const f = ourErrors(text, extra, links)[0];
  if (!f) return undefined;
  const body = f.file === CONF ? text : extra[realFile(f.file.slice(DIR.length + 1), links)];
  // the line every edge shows (CLI, editor): where the span starts; it must be nginx's line
  return { message: asPrinted(f.message), line: lineOf(body, f.span.start), file: f.file.slice(DIR.length + 1), code: f.code };
}

/** A few numbered lines around `line` (1-based), for failure messages. */
export function context(text: string, line: number | undefined, radius = 2): string {
  const lines = text.split('\n');
  const at = line ?? lines.length;
  const from = Math.max(1, at - radius);
  const to = Math.min(lines.length, at + radius);
  const out: string[] = [];
  for (let i = from; i <= to; i++) {
    const l = JSON.stringify(lines[i - 1]).slice(1, -1);
    out.push(`${i === at ? '>' : ' '}${String(i).padStart(4)}| ${l.length > 160 ? l.slice(0, 150) + `…[${l.length} chars]` : l}`);
  }
  return out.join('\n');
}
