// `nginx-ws route URL [--host H] [--format text|json] [CONFIG | -]`: which server and location
// of a configuration nginx picks for a request, why, and what it sends upstream for WebSocket.
// The routing itself is the core's (routeRequest); this reads the files and prints.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { DEFAULT_OPTIONS, Workspace, lineStarts, positionAt, routeReport, routeRequest, type RouteResult } from '../core/index';
import type { FileId, Host, Span } from '../core/types';
import { DumpHost, parseNginxDump } from '../host/dump';
import { NodeHost, scanNginxFilesSync, toFileId } from '../host/node-host';

export const ROUTE_USAGE = 'nginx-ws route URL [--host HOST] [--format text|json] [CONFIG | -]';

export const ROUTE_HELP = `route   which server and location nginx picks for URL (http://host[:port]/path, also
        https, ws, wss), as nginx does it: the listen address and port, the Host (--host
        HOST, default the URL's) against server_name (exact, *.wildcards, wildcards.*,
        regexes, default_server), then the locations (=, ^~, longest prefix, regexes in
        order, nested ones) on the decoded, normalised URI. Prints the server and location
        with their file:line, why each was chosen, and the WebSocket headers, HTTP version
        and read timeout nginx uses upstream there. CONFIG: a file or directory (default
        the current directory); - reads an nginx -T dump. Exit 0 when a server takes the
        request, 1 when nginx would refuse the connection, 2 on usage or I/O errors.`;

export function routeCommand(args: string[], out: (s: string) => void, errOut: (s: string) => void): number {
  let url: string | undefined;
  let host: string | undefined;
  let format: 'text' | 'json' = 'text';
  let config: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--host' || a.startsWith('--host=')) {
      const v = a === '--host' ? args[++i] : a.slice(7);
      if (!v) { errOut(`nginx-ws: --host takes a host name\nusage: ${ROUTE_USAGE}`); return 2; }
      host = v;
    } else if (a === '--format' || a.startsWith('--format=')) {
      const v = a === '--format' ? args[++i] : a.slice(9);
      if (v !== 'text' && v !== 'json') { errOut(`nginx-ws: --format takes "text" or "json", not "${v ?? ''}"`); return 2; }
      format = v;
    } else if (a.startsWith('-') && a !== '-') { errOut(`nginx-ws: unknown option "${a}"\nusage: ${ROUTE_USAGE}`); return 2; }
    else if (url === undefined) url = a;
    else if (config === undefined) config = a;
    else { errOut(`nginx-ws: route takes one URL and one CONFIG\nusage: ${ROUTE_USAGE}`); return 2; }
  }
  if (!url) { errOut(`nginx-ws: no URL given\nusage: ${ROUTE_USAGE}`); return 2; }

  let hostImpl: Host = new NodeHost();
  let files: FileId[];
  const target = config ?? '.';
  if (target === '-') {
    let text: string;
    try { text = fs.readFileSync(0, 'utf8'); } catch (e) { errOut(`nginx-ws: cannot read standard input: ${(e as Error).message}`); return 2; }
    const dump = parseNginxDump(text);
    if (!dump.size) { errOut('nginx-ws: standard input holds no "# configuration file …:" section: pipe the output of nginx -T'); return 2; }
    hostImpl = new DumpHost(dump);
    files = [...dump.keys()];
  } else {
    let st: fs.Stats;
    try { st = fs.statSync(target); } catch { errOut(`nginx-ws: ${target}: no such file or directory`); return 2; }
    if (st.isDirectory()) {
      files = scanNginxFilesSync(toFileId(target)).files;
      if (!files.length) { errOut(`nginx-ws: ${target}: no nginx configuration file found; name the file`); return 2; }
    } else files = [toFileId(target)];
  }
  const ws = new Workspace(hostImpl, DEFAULT_OPTIONS);
  ws.setFiles(files);
  const res = routeRequest(ws, { url, host });
  if (res.error && !res.request.scheme) { errOut(`nginx-ws: ${res.error}`); return 2; }
  const places = new Places(ws);
  if (format === 'json') out(JSON.stringify(toJson(res, places), null, 2));
  else for (const line of routeReport(res, (f, span) => places.at(f, span))) out(line);
  return res.server ? 0 : 1;
}

/** Offsets to file:line, files named relative to the working directory when inside it. */
class Places {
  private tables = new Map<FileId, number[]>();
  constructor(private readonly ws: Workspace) {}
  name(file: FileId): string {
    const rel = nodePath.relative(process.cwd(), file);
    return rel && !rel.startsWith('..') && !nodePath.isAbsolute(rel) ? rel.split(nodePath.sep).join('/') : file;
  }
  line(file: FileId, span: Span): number {
    let t = this.tables.get(file);
    if (!t) this.tables.set(file, (t = lineStarts(this.ws.text(file) ?? '')));
    return positionAt(t, span.start).line + 1;
  }
  at(file: FileId, span: Span): string {
    return `${this.name(file)}:${this.line(file, span)}`;
  }
}

function toJson(res: RouteResult, p: Places): unknown {
  const place = (x: { file: FileId; span: Span } | undefined) => (x ? { file: p.name(x.file), line: p.line(x.file, x.span) } : undefined);
  return {
    ...res,
    root: res.root && p.name(res.root),
    server: res.server && { ...place(res.server), label: res.server.label },
    location: res.location && { ...place(res.location), label: res.location.label },
    proxy: res.proxy && {
      proxyPass: res.proxy.proxyPass,
      ...place(res.proxy),
      intent: res.proxy.intent,
      headers: res.proxy.headers.map((h) => ({ name: h.name, value: h.value, from: h.from, ...(h.file && h.span ? place({ file: h.file, span: h.span }) : {}) })),
      httpVersion: { value: res.proxy.httpVersion.value, from: res.proxy.httpVersion.from, ...(res.proxy.httpVersion.file ? place({ file: res.proxy.httpVersion.file, span: res.proxy.httpVersion.span! }) : {}) },
      readTimeout: { value: res.proxy.readTimeout.value, from: res.proxy.readTimeout.from, ...(res.proxy.readTimeout.file ? place({ file: res.proxy.readTimeout.file, span: res.proxy.readTimeout.span! }) : {}) },
    },
  };
}
