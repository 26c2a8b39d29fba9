// `nginx -T` prints every file of the configuration it loaded, each after a line
// `# configuration file <absolute path>:` and followed by one line feed of its own (ngx_conf_dump).
// Checking that dump checks the configuration a server really runs, under the names nginx printed.
import { globToRegExp } from '../core/index';
import type { FileId, Host } from '../core/types';

const HEADER = /^# configuration file (\/.*):$/;

/** The files of an `nginx -T` dump, in nginx's order (the main configuration first); empty when it holds none. */
export function parseNginxDump(text: string): Map<FileId, string> {
  const files = new Map<FileId, string>();
  const lines = text.split('\n');
  let current: FileId | undefined;
  let body: string[] = [];
  const flush = () => {
    // the line feed nginx adds after each file is not the file's
    if (current !== undefined && !files.has(current)) files.set(current, body.join('\n').replace(/\n$/, ''));
  };
  for (const line of lines) {
    const m = HEADER.exec(line.replace(/\r$/, ''));
    if (m) {
      flush();
      current = m[1];
      body = [];
    } else if (current !== undefined) body.push(line);
  }
  flush();
  return files;
}

/** The dump's files as the only files there are: nothing is read from this machine's disk. */
export class DumpHost implements Host {
  constructor(private readonly files: ReadonlyMap<FileId, string>) {}
  read(file: FileId): string | undefined {
    return this.files.get(file);
  }
  glob(pattern: string): FileId[] {
    const re = globToRegExp(pattern);
    return [...this.files.keys()].filter((f) => re.test(f)).sort();
  }
  realpath(file: FileId): FileId {
    return file;
  }
}
