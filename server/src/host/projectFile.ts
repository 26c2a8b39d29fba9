// Finds the project file for a path: walking up from it, the first folder with a `.nginx-ws.json`,
// or with a package.json that has a `nginxWebSocket` key, gives it (like .editorconfig or an
// ESLint configuration). The checks of what it holds are the core's (readProjectConfig).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { PACKAGE_KEY, PROJECT_FILE, readProjectConfig, type ProjectConfig } from '../core/index';

export interface FoundProjectFile extends ProjectConfig {
  /** The file read (absolute). */
  file: string;
}

/** Larger than any sensible project file: not read. */
const MAX_BYTES = 1 << 20;

function readSmall(file: string): string | undefined | Error {
  let st: fs.Stats;
  try { st = fs.statSync(file); } catch { return undefined; }
  if (!st.isFile()) return undefined;
  if (st.size > MAX_BYTES) return new Error(`larger than ${MAX_BYTES} bytes; not read`);
  try { return fs.readFileSync(file, 'utf8'); } catch (e) { return new Error(`cannot be read: ${(e as Error).message}`); }
}

/** The project file that applies to `start` (a folder, or a file whose folder is searched), if any. */
export function findProjectFile(start: string): FoundProjectFile | undefined {
  let dir = nodePath.resolve(start);
  try { if (!fs.statSync(dir).isDirectory()) dir = nodePath.dirname(dir); } catch { dir = nodePath.dirname(dir); }
  for (;;) {
    const own = nodePath.join(dir, PROJECT_FILE);
    const text = readSmall(own);
    const pkg = nodePath.join(dir, 'package.json');
    if (text instanceof Error) return { file: own, values: {}, problems: [{ severity: 'error', message: text.message }] };
    if (text !== undefined) {
      const config = readProjectConfig(text)!;
      const other = readSmall(pkg);
      if (typeof other === 'string' && readProjectConfig(other, true)) {
        config.problems.push({ severity: 'warning', message: `package.json in the same folder has a "${PACKAGE_KEY}" key too; ${PROJECT_FILE} is used` });
      }
      return { file: own, ...config };
    }
    // an unreadable package.json is some other tool's: the search goes on
    const pkgText = readSmall(pkg);
    if (typeof pkgText === 'string') {
      const config = readProjectConfig(pkgText, true);
      if (config) return { file: pkg, ...config };
    }
    const up = nodePath.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
