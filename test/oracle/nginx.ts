// The differential test's run of the real `nginx -t` (test/util/nginx.ts) on one config text,
// with nginx-tests' %%TESTDIR%% mapped into the run's prefix, and what it compares.
import { nginxTest, type NginxVerdict } from '../util/nginx';

export interface RunOptions {
  /** More files in the prefix (paths relative to it). */
  extra?: Record<string, string>;
  /**
   * A directory path the config refers to (nginx-tests' %%TESTDIR%%): it is replaced by the
   * run's own prefix in the text nginx reads, so logs and temp paths land there. Paths hold no
   * newline, so line numbers are unchanged.
   */
  testdir?: string;
  timeoutMs?: number;
  /** Symbolic links in the prefix: link path → target as `ln -s` takes it. */
  links?: Record<string, string>;
}

/**
 * `nginx -t` on `text` as <tmp>/nginx.conf. Resolves with nginx's verdict; rejects only when
 * nginx could not be started.
 */
export async function runNginx(text: string, opts: RunOptions = {}): Promise<NginxVerdict> {
  const at = (dir: string, t: string) => (opts.testdir ? t.split(opts.testdir).join(dir) : t);
  const v = await nginxTest((dir) => Object.fromEntries(Object.entries({ ...opts.extra, 'nginx.conf': text }).map(([rel, t]) => [rel, at(dir, t)])), { timeoutMs: opts.timeoutMs, links: opts.links });
  // a message quoting a path of the config names the test directory, as the config does
  if (v.error && opts.testdir) v.error.message = v.error.message.split(v.prefix).join(opts.testdir);
  return v;
}

/** Runs `jobs` with at most `limit` in flight; results keep the jobs' order. */
export async function pool<T>(jobs: Array<() => Promise<T>>, limit = 4): Promise<T[]> {
  const out = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

/**
 * The classes of first error the differential test compares: lexical, context and arity.
 * `unexpected "x" in condition` is not one: it is ngx_http_rewrite_if_condition's value check
 * (a sibling of `invalid condition "x"`), not the tokenizer's.
 */
export function isSyntaxClass(message: string): boolean {
  return (
    /^unexpected /.test(message) ||
    /^invalid condition "/.test(message) ||
    /^directive "[^"]*" is not terminated by ";"$/.test(message) ||
    /^directive "[^"]*" has no opening "\{"$/.test(message) ||
    /^unknown directive "/.test(message) ||
    /^"[^"]*" directive is not allowed here$/.test(message) ||
    /^invalid number of arguments in "[^"]*" directive$/.test(message) ||
    /^"[^"]*" directive is duplicate(, "[^"]*" directive was specified earlier)?$/.test(message) ||
    /^invalid location modifier "/.test(message) ||
    /^location "[^"]*" (is outside location|cannot be inside the (exact|named) location) "/.test(message) ||
    /^named location "[^"]*" can be on the server level only$/.test(message) ||
    /^duplicate location "/.test(message) ||
    message === 'no servers are inside upstream' ||
    /^too long parameter/.test(message) ||
    message === 'invalid number of the map parameters' ||
    message === 'invalid number of the geo parameters'
  );
}
