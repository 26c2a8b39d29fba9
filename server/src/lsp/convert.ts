// The only place that turns core offsets and FileIds into LSP positions and URIs.
import type { Range } from 'vscode-languageserver';
import { lineStarts, offsetAt, positionAt } from '../core/index';
import type { FileId, Span } from '../core/types';

/** Untitled buffers get an id no real file can have; the rest is the encoded URI, so it maps back. */
const UNTITLED_DIR = '/.untitled/';
/**
 * Documents of another scheme (vscode.dev's vscode-vfs:, vscode-test-web:, …), when the server
 * accepts them (the web server does: a virtual workspace has no file: URI), get ids under this
 * folder: `/.vfs/<scheme>/@<authority>/<path>`, so paths, includes and globs work as on a disk.
 */
const VFS_DIR = '/.vfs/';
let otherSchemes = false;

/** Analyse documents of every scheme (the web server), not only file: and untitled:. */
export function acceptOtherSchemes(on: boolean): void {
  otherSchemes = on;
}

/** file:// URI → FileId (absolute posix path, percent-decoded); untitled: → synthetic id; other schemes → undefined. */
export function uriToFile(uri: string): FileId | undefined {
  if (uri.startsWith('untitled:')) return UNTITLED_DIR + encodeURIComponent(uri);
  const m = /^file:\/\/([^/]*)(\/.*)?$/i.exec(uri);
  if (!m) return otherSchemes ? vfsFile(uri) : undefined;
  let path: string;
  try {
    path = decodeURIComponent(m[2] ?? '/');
  } catch {
    return undefined; // malformed escape
  }
  const authority = m[1];
  if (authority && authority.toLowerCase() !== 'localhost') return `//${authority}${path}`; // UNC share
  // file:///c%3A/x → c:/x (drive letters lower-cased, as VS Code sends them)
  const drive = /^\/([a-zA-Z]):(\/|$)/.exec(path);
  if (drive) return drive[1].toLowerCase() + path.slice(2);
  return path;
}

/** FileId → URI; the inverse of uriToFile. */
export function fileToUri(file: FileId): string {
  if (file.startsWith(UNTITLED_DIR)) return decodeURIComponent(file.slice(UNTITLED_DIR.length));
  const encode = (p: string) => p.split('/').map(encodeSegment).join('/');
  const vfs = /^\/\.vfs\/([^/]+)\/@([^/]*)(\/.*)?$/.exec(file);
  if (vfs && otherSchemes) return `${vfs[1]}://${decodeURIComponent(vfs[2])}${encode(vfs[3] ?? '/')}`;
  if (file.startsWith('//')) {
    const slash = file.indexOf('/', 2);
    const authority = slash < 0 ? file.slice(2) : file.slice(2, slash);
    return `file://${authority}${encode(slash < 0 ? '/' : file.slice(slash))}`;
  }
  const drive = /^([a-zA-Z]):(\/.*)?$/.exec(file);
  if (drive) return `file:///${drive[1].toLowerCase()}%3A${encode(drive[2] ?? '/')}`;
  return `file://${encode(file)}`;
}

/** scheme://authority/path → /.vfs/scheme/@authority/path; a query or fragment: not analysed. */
function vfsFile(uri: string): FileId | undefined {
  const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?(\/[^?#]*)?$/.exec(uri);
  if (!m || /^(file|untitled)$/i.test(m[1])) return undefined;
  try {
    return `${VFS_DIR}${m[1].toLowerCase()}/@${encodeURIComponent(decodeURIComponent(m[2] ?? ''))}${decodeURIComponent(m[3] ?? '/')}`;
  } catch {
    return undefined; // malformed escape
  }
}

function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function isUntitled(file: FileId): boolean {
  return file.startsWith(UNTITLED_DIR);
}

/** Line/character conversion for one text; build once per file and reuse. */
export class LineMap {
  private readonly starts: number[];
  constructor(private readonly text: string) {
    this.starts = lineStarts(text);
  }

  range(span: Span): Range {
    return { start: positionAt(this.starts, clamp(span.start, this.text.length)), end: positionAt(this.starts, clamp(span.end, this.text.length)) };
  }

  span(range: Range): Span {
    const len = this.text.length;
    return { start: offsetAt(this.starts, len, range.start.line, range.start.character), end: offsetAt(this.starts, len, range.end.line, range.end.character) };
  }
}

function clamp(n: number, max: number): number {
  return Math.max(0, Math.min(n, max));
}

/** Do two ranges share a point? Touching counts, so a cursor at a diagnostic's edge matches it. */
export function rangesTouch(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
