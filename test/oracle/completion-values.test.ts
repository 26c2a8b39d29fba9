// Every value argument completion offers is one the real nginx accepts. For each directive nginx
// 1.22 knows in main, events, http, server or location that takes exactly one argument, the values
// offered after `name ` (flags, enums, the reference's literal words, the default) are written
// as `name value;` and the configurations go through nginx -t: a batch per value index, a
// directive nginx refuses taken out and named. A handful that nginx refuses for reasons of this
// machine's build (a platform feature, a missing file) are listed with nginx's message.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workspace, DEFAULT_OPTIONS, argumentCompletions } from '../../server/src/core/index';
import { directiveNames, specsInContext, allowsArgCount, type Ctx } from '../../server/src/core/data/directives';
import { MemoryHost } from '../util/fixture';
import { nginxTest, withLocalPaths } from '../util/nginx';

const WHERE: Record<string, (line: string) => string> = {
  main: (l) => `${l}\nevents {}\n`,
  events: (l) => `events {\n${l}\n}\n`,
  http: (l) => `events {}\nhttp {\n${l}\n}\n`,
  server: (l) => `events {}\nhttp {\nserver {\nlisten 127.0.0.1:18099;\n${l}\n}\n}\n`,
  location: (l) => `events {}\nhttp {\nserver {\nlisten 127.0.0.1:18099;\nlocation / {\n${l}\n}\n}\n}\n`,
};

/** nginx refuses these values on this build for reasons that are not the value (said by nginx). */
const MACHINE: Record<string, RegExp> = {
  // `aio on` and `aio threads` need a build with file AIO or thread pools
  aio: /aio|thread/,
  // the test's own -g gives the pid file
  pid: /"pid" directive is duplicate/,
};

/** Values nginx takes only with another directive beside them (its message names it). */
const NEEDS: Record<string, RegExp> = {
  ssl_verify_client: /^no ssl_client_certificate for ssl_verify_client$/,
};

test('every value completion offers after a directive name is accepted by nginx -t', { timeout: 300_000 }, async () => {
  // directive → [context, values]
  const offered = new Map<string, [Ctx, string[]]>();
  for (const name of directiveNames()) {
    for (const ctx of Object.keys(WHERE) as Ctx[]) {
      const spec = specsInContext(name, ctx).find((s) => s.inLight122 && !s.block && !s.plus && !s.external);
      // one argument exactly: a value of a longer list may need the others (valid_referers none …)
      if (!spec || !allowsArgCount(spec, 1, 'light122') || allowsArgCount(spec, 2, 'light122')) continue;
      const text = WHERE[ctx](`${name} ‸`);
      const ws = new Workspace(new MemoryHost(new Map([['/w/nginx.conf', text.replace('‸', '')]])), DEFAULT_OPTIONS);
      ws.setFiles(['/w/nginx.conf']);
      const values = (argumentCompletions(ws, '/w/nginx.conf', text.indexOf('‸')) ?? []).filter((i) => i.kind === 'value' && !/(=|:|:\/\/)$/.test(i.insert)).map((i) => i.insert);
      if (values.length) offered.set(name, [ctx, values]);
      break;
    }
  }
  assert.ok(offered.size > 100, `values offered for ${offered.size} directives`);
  assert.ok(offered.get('proxy_buffering')?.[1].includes('on'));
  const refused: string[] = [];
  const depth = Math.max(...[...offered.values()].map(([, v]) => v.length));
  for (let k = 0; k < depth; k++) {
    let batch = [...offered].filter(([, [, v]]) => v.length > k).map(([name, [ctx, v]]) => ({ name, ctx, value: v[k] }));
    for (let round = 0; batch.length && round < 200; round++) {
      // one file per context, each directive once
      const lines: Record<string, string[]> = {};
      for (const b of batch) (lines[b.ctx] ??= []).push(`${b.name} ${b.value};`);
      let conf = 'events {\n' + (lines.events ?? []).join('\n') + '\n}\n' + (lines.main ?? []).join('\n') + '\n';
      conf += 'http {\n' + (lines.http ?? []).join('\n') + '\nserver {\nlisten 127.0.0.1:18099;\n' + (lines.server ?? []).join('\n') + '\nlocation / {\n' + (lines.location ?? []).join('\n') + '\n}\n}\n}\n';
      const v = await nginxTest({ 'nginx.conf': withLocalPaths(conf) });
      if (v.ok) break;
      const line = v.error?.line ? conf.split('\n')[v.error.line - 1] : undefined;
      // nginx names a line, or (checks after parsing) the directive
      const words = new Set(v.error!.message.split(/[^a-z0-9_]+/));
      const bad = batch.find((b) => line === `${b.name} ${b.value};`) ?? (line ? undefined : batch.find((b) => v.error!.message.includes(`"${b.name}"`)) ?? batch.find((b) => words.has(b.name)));
      assert.ok(bad, `nginx refused a line completion did not write: ${v.output}`);
      if (!MACHINE[bad.name]?.test(v.error!.message) && !NEEDS[bad.name]?.test(v.error!.message)) refused.push(`${bad.name} ${bad.value}; (${bad.ctx}): ${v.error!.message}`);
      batch = batch.filter((b) => b !== bad);
    }
  }
  console.log(`completion values: ${[...offered.values()].reduce((n, [, v]) => n + v.length, 0)} values of ${offered.size} directives through nginx -t`);
  assert.deepEqual(refused, []);
});
