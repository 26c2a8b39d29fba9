// The WebSocket snippets must produce configurations the real nginx accepts, in exactly the
// contexts snippets/contexts.json lists, and must be rejected everywhere else. Each snippet
// is expanded with its defaults, placed into a minimal nginx.conf and checked with
// `nginx -t` (which parses and validates, opens log files and loads certificates, but does
// not bind ports), through test/util/nginx.ts.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { makeCerts, nginxTest as nginxT, requireNginx, withLocalPaths, type Certs, type NginxVerdict } from './util/nginx';
import { expandSnippet, parseSnippet } from './util/snippet';
import { Workspace, DEFAULT_OPTIONS } from '../server/src/core/index';
import { MemoryHost } from './util/fixture';

const ROOT = resolve(__dirname, '..', '..');

interface Snippet {
  prefix: string;
  body: string | string[];
  description: string;
}

type Context = 'main' | 'http' | 'server' | 'location';
const CONTEXTS: Context[] = ['main', 'http', 'server', 'location'];

/**
 * The stream module (ws-stream needs it): Debian builds it as a dynamic module that nginx-light
 * does not install (libnginx-mod-stream). NGINX_STREAM_MODULE names the .so elsewhere. Without
 * it, nginx -t can only show that it does not know `stream`, which is checked instead.
 */
const STREAM_MODULE = process.env.NGINX_STREAM_MODULE ?? '/usr/lib/nginx/modules/ngx_stream_module.so';
const HAVE_STREAM = existsSync(STREAM_MODULE);
const needsStream = (text: string) => /^\s*stream\s*\{/m.test(text);

const snippetFile = JSON.parse(readFileSync(join(ROOT, 'snippets', 'nginx.code-snippets'), 'utf8')) as Record<string, Snippet>;
const snippets: Snippet[] = Object.values(snippetFile);
const contextTable = JSON.parse(readFileSync(join(ROOT, 'snippets', 'contexts.json'), 'utf8')) as Record<string, Context[]>;

function byPrefix(prefix: string): Snippet {
  const s = snippets.find((x) => x.prefix === prefix);
  assert.ok(s, `snippet ${prefix} exists`);
  return s;
}

let certs: Certs;

const q = (p: string): string => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const WS_MAP = "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    '' close;\n}";

/** Puts `text` into `context` of a complete nginx.conf, its paths in the run's prefix. */
function buildConf(context: Context, text: string): string {
  const usesMapVar = /\$connection_upgrade\b/.test(text);
  const definesMapVar = /\bmap\s+\S+\s+\$connection_upgrade\b/.test(text);
  const httpPrelude = usesMapVar && !definesMapVar ? WS_MAP : '';
  let inner: string;
  if (context === 'main') {
    return withLocalPaths(['events {}', 'http {', httpPrelude, '}', text, ''].join('\n'));
  } else if (context === 'http') {
    inner = text;
  } else if (context === 'server') {
    inner = `server {\n    listen 127.0.0.1:18080;\n    server_name test.invalid;\n${text}\n}`;
  } else {
    inner = `server {\n    listen 127.0.0.1:18080;\n    server_name test.invalid;\n    location / {\n${text}\n    }\n}`;
  }
  return withLocalPaths(['events {}', 'http {', httpPrelude, inner, '}', ''].join('\n'));
}

/** Points ssl_certificate / ssl_certificate_key at the throw-away pair. */
function useTestCertificate(text: string): string {
  return text
    .replace(/^(\s*ssl_certificate)\s+[^;]+;/gm, `$1 ${q(certs.cert)};`)
    .replace(/^(\s*ssl_certificate_key)\s+[^;]+;/gm, `$1 ${q(certs.key)};`);
}

async function nginxTest(context: Context, text: string): Promise<NginxVerdict & { conf: string }> {
  const built = buildConf(context, useTestCertificate(text));
  const conf = HAVE_STREAM ? `load_module ${q(STREAM_MODULE)};\n${built}` : built;
  return { ...(await nginxT({ 'nginx.conf': conf })), conf };
}

function failMessage(what: string, r: NginxVerdict & { conf: string }): string {
  return `${what}\n--- nginx said:\n${r.output}\n--- nginx.conf:\n${r.conf}`;
}

describe('snippet expander', () => {
  it('takes defaults, first choices, mirrors and drops $0', () => {
    const e = expandSnippet(['listen ${1:80};', 'server_name ${2:example.com} www.$2;', 'proxy_pass ${3|http,https|}://x;$0']);
    assert.equal(e.text, 'listen 80;\nserver_name example.com www.example.com;\nproxy_pass http://x;');
    assert.deepEqual(e.tabstops, [1, 2, 3, 0]);
    assert.deepEqual(e.unknownVariables, []);
  });

  it('resolves nested placeholders and mirrors of the outer one', () => {
    const e = expandSnippet('${1:http://${2:127.0.0.1}:${3:8080}} ${2} $1');
    assert.equal(e.text, 'http://127.0.0.1:8080 127.0.0.1 http://127.0.0.1:8080');
  });

  it('keeps escaped dollars and braces literal', () => {
    const e = expandSnippet('proxy_set_header Upgrade \\$http_upgrade; return 200 \\${a\\}; map \\$a \\$${1:b} {}');
    assert.equal(e.text, 'proxy_set_header Upgrade $http_upgrade; return 200 ${a}; map $a $b {}');
    assert.deepEqual(e.unknownVariables, []);
  });

  it('reports an unescaped nginx variable the way VS Code would insert it', () => {
    const e = expandSnippet('proxy_set_header Host $host; set ${var} 1; ${TM_FILENAME}');
    assert.equal(e.text, 'proxy_set_header Host host; set var 1; nginx.conf');
    assert.deepEqual(e.unknownVariables, ['host', 'var']);
  });

  it('handles escapes inside choices, variable defaults and transforms', () => {
    assert.equal(expandSnippet('${1|a\\,b,c|}').text, 'a,b');
    assert.equal(expandSnippet('${UNKNOWN_THING:fallback}').text, 'fallback');
    assert.equal(expandSnippet('${1:ws_backend} ${1/(.*)/${1:/upcase}/}').text, 'ws_backend WS_BACKEND');
  });

  it('leaves a lone or malformed $ as text', () => {
    assert.equal(expandSnippet('a $ b ${ c ${1:x').text, 'a $ b ${ c ${1:x');
    assert.equal(parseSnippet('').length, 0);
  });
});

describe('snippet files', () => {
  const required: Record<string, string[]> = {
    'ws-server': [
      'listen 80;',
      'server_name ',
      'proxy_http_version 1.1;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection "upgrade";',
      'location /ws/ {', // the article writes `/`; a WebSocket-only path keeps plain requests from being upgraded
      'proxy_redirect off;',
      'proxy_pass http://127.0.0.1:8080;',
      'proxy_connect_timeout 60;',
      'proxy_read_timeout 600;',
      'proxy_send_timeout 600;',
    ],
    'ws-map': ['map $http_upgrade $connection_upgrade {', 'default upgrade;', "'' close;"],
    'ws-location': [
      'proxy_http_version 1.1;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection $connection_upgrade;',
      'proxy_set_header Host $host;',
      'proxy_read_timeout 600s;',
      'proxy_pass http://127.0.0.1:8080;',
    ],
    'wss-server': [
      'listen 443 ssl;',
      'ssl_certificate ',
      'ssl_certificate_key ',
      'proxy_pass http://',
      'proxy_set_header Upgrade $http_upgrade;',
      'listen 80;',
      'return 301 https://$host$request_uri;',
    ],
    'ws-upstream': [
      'upstream ws_backend {',
      'keepalive 16;',
      'map $http_upgrade $connection_upgrade {',
      "'' '';",
      'proxy_pass http://ws_backend;',
      'proxy_set_header Connection $connection_upgrade;',
      'proxy_http_version 1.1;',
    ],
    'ws-stream': ['stream {', 'upstream wss_backend {', 'listen 443;', 'proxy_pass wss_backend;', 'proxy_timeout 1h;', 'listen 8080;'],
  };

  it('has exactly these WebSocket snippets, each in the context table', () => {
    assert.deepEqual(snippets.map((s) => s.prefix).sort(), Object.keys(required).sort());
    assert.deepEqual(Object.keys(contextTable).sort(), Object.keys(required).sort());
    for (const [prefix, ctx] of Object.entries(contextTable)) {
      assert.ok(Array.isArray(ctx) && ctx.length > 0, `${prefix} has contexts`);
      for (const c of ctx) assert.ok(CONTEXTS.includes(c), `${prefix}: unknown context ${c}`);
    }
  });

  for (const [prefix, lines] of Object.entries(required)) {
    it(`${prefix}: expands to the article's directives, with tab stops and no stray variables`, () => {
      const s = byPrefix(prefix);
      const e = expandSnippet(s.body);
      assert.deepEqual(e.unknownVariables, [], `${prefix}: unescaped $ in the body`);
      assert.ok(e.tabstops.filter((n) => n > 0).length >= 1, `${prefix}: has tab stops`);
      for (const line of lines) assert.ok(e.text.includes(line), `${prefix}: missing ${JSON.stringify(line)} in\n${e.text}`);
      for (const c of contextTable[prefix]) {
        assert.ok(s.description.includes(c), `${prefix}: description names the ${c} context`);
      }
      assert.doesNotMatch(e.text, /[“”‘’]/, `${prefix}: typographic quotes`);
    });
  }
});

describe('snippets against our own analysis', () => {
  // what the product inserts must not be squiggled by the product: every snippet, expanded with
  // its defaults, in each of its contexts, gets no finding at all (not even a hint)
  for (const s of snippets) {
    for (const context of contextTable[s.prefix] ?? []) {
      it(`${s.prefix} inside ${context}: no finding`, () => {
        const conf = buildConf(context, expandSnippet(s.body).text);
        const file = '/w/nginx.conf';
        const ws = new Workspace(new MemoryHost(new Map([[file, conf]])), DEFAULT_OPTIONS);
        ws.setFiles([file]);
        assert.deepEqual(ws.findings(file).map((f) => `${f.severity} [${f.code}] ${f.message}`), [], conf);
      });
    }
  }
});

describe('snippets against the real nginx', () => {
  before(() => {
    // nginx is the oracle: without it these tests fail, they are never skipped
    requireNginx();
    certs = makeCerts();
  });

  for (const s of snippets) {
    const allowed = contextTable[s.prefix] ?? [];
    for (const context of CONTEXTS) {
      const text = expandSnippet(s.body).text;
      const unknownStream = needsStream(text) && !HAVE_STREAM;
      if (allowed.includes(context)) {
        it(`${s.prefix} passes nginx -t inside ${context}`, async (t) => {
          const r = await nginxTest(context, text);
          if (unknownStream) {
            // this binary has no stream module: it must say exactly that, and nothing else
            t.diagnostic(`no stream module at ${STREAM_MODULE} (set NGINX_STREAM_MODULE): only the refusal of "stream" is checked`);
            assert.equal(r.ok, false, failMessage(`${s.prefix}: nginx without the stream module accepted it`, r));
            assert.match(r.output, /unknown directive "stream"/, failMessage(`${s.prefix} in ${context}`, r));
            return;
          }
          assert.ok(r.ok, failMessage(`${s.prefix} in ${context} was rejected`, r));
        });
      } else {
        it(`${s.prefix} is rejected by nginx -t inside ${context} (not in its context list)`, async () => {
          const r = await nginxTest(context, text);
          assert.equal(r.ok, false, failMessage(`${s.prefix} in ${context} was accepted`, r));
          assert.match(r.output, unknownStream ? /unknown directive "stream"/ : /directive is not allowed here/, failMessage(`${s.prefix} in ${context}`, r));
        });
      }
    }
  }

  it('ws-map inside a location fails with "map" directive is not allowed here', async () => {
    const r = await nginxTest('location', expandSnippet(byPrefix('ws-map').body).text);
    assert.equal(r.ok, false, failMessage('map inside location was accepted', r));
    assert.match(r.output, /"map" directive is not allowed here/, failMessage('unexpected error', r));
  });

  it('wss-server really loads the certificate pair (a missing key fails)', async () => {
    const text = expandSnippet(byPrefix('wss-server').body).text;
    const missing = join(dirname(certs.key), 'no-such.key');
    const broken = useTestCertificate(text).replace(/^(\s*ssl_certificate_key)\s+[^;]+;/m, `$1 ${q(missing)};`);
    assert.ok(broken.includes(missing), 'the key line was replaced');
    const conf = buildConf('http', broken);
    const r = await nginxT({ 'nginx.conf': conf });
    assert.equal(r.ok, false, `nginx accepted a missing key:\n${conf}`);
    assert.match(r.output, /no-such\.key/);
  });
});
