// How a file nobody includes is judged: as a main configuration, or as a fragment in the
// context its directives were written for. A main-level directive always wins: a stray
// `location` beside `worker_processes` is the error nginx reports, not a sign of a snippet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, DEFAULT_OPTIONS } from '../index';
import { MemoryHost } from '../../../../test/util/fixture';

function judged(text: string): { kind: string; ctx: string; first?: string } {
  const file = '/w/x.conf';
  const ws = new Workspace(new MemoryHost(new Map([[file, text]])), DEFAULT_OPTIONS);
  ws.setFiles([file]);
  const r = ws.analysis().get(file)!;
  const first = r.nginxFindings.find((f) => f.severity === 'error');
  return { kind: r.kind, ctx: r.ctx, first: first?.message };
}

test('a main-level directive makes the context main, however many stray blocks follow', () => {
  assert.deepEqual(judged('worker_processes 1;\nlocation / {}\nlocation /a {}\nlocation /b {}\n'), { kind: 'fragment', ctx: 'main', first: '"location" directive is not allowed here' });
  assert.deepEqual(judged('pid /run/nginx.pid;\nproxy_pass http://a;\nproxy_set_header A b;\nproxy_set_header C d;\n'), { kind: 'fragment', ctx: 'main', first: '"proxy_pass" directive is not allowed here' });
});

test('events, http, or two main-level directives make a main configuration', () => {
  assert.equal(judged('pid /run/nginx.pid;\nevents {}\nhttp {}\nlocation / {}\n').kind, 'main');
  assert.equal(judged('user www-data;\nworker_processes auto;\nlocation / {}\n').kind, 'main');
  assert.equal(judged('error_log /var/log/nginx/error.log;\nworker_processes 2;\n').kind, 'main');
  // a broken events (no `{`) is still events
  assert.equal(judged('events\n    worker_connections 512;\nhttp {}\n').kind, 'main');
});

test('files made to be included at main level stay fragments', () => {
  assert.deepEqual(judged('load_module modules/a.so;\nload_module modules/b.so;\n'), { kind: 'fragment', ctx: 'main', first: undefined });
  assert.deepEqual(judged('worker_processes auto;\n'), { kind: 'fragment', ctx: 'main', first: undefined });
});

test('without main-level directives the context is still inferred from the names', () => {
  assert.deepEqual(judged('error_log /tmp/e.log;\nserver {\n    listen 80;\n}\n'), { kind: 'fragment', ctx: 'http', first: undefined });
  assert.deepEqual(judged('listen 80;\nlocation / {\n    return 204;\n}\n'), { kind: 'fragment', ctx: 'server', first: undefined });
  assert.deepEqual(judged('proxy_pass http://a;\nproxy_set_header A b;\n'), { kind: 'fragment', ctx: 'location', first: undefined });
});
