// Golden tests of the formatter: one case for each way other nginx formatters are known to
// break configs (`${VAR}` split, `{10,}` regexes split, tabs growing, lines lost, range
// formatting duplicating text, `} # managed by Certbot` moved, Lua reflowed), and the rules.
// Every case also checks that the token stream is unchanged (read independently of the
// formatter) and that a second pass changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, formatOnType, formatRange, formatText, type FormatOptions } from './format';
import { nginxTokens } from '../../../../test/util/tokens';
import { parse } from '../syntax/parser';
import { firstDifference, tokensOf } from '../syntax/tokens';

const SPACES: FormatOptions = { tabSize: 4, insertSpaces: true };
const TABS: FormatOptions = { tabSize: 4, insertSpaces: false };

function golden(input: string, expected: string, opts: FormatOptions = SPACES): void {
  const r = formatText(input, opts);
  assert.equal(r.refused, undefined, r.refused?.reason);
  assert.equal(r.text, expected);
  assert.equal(applyEdits(input, r.edits), expected, 'the edits make the same text');
  assert.deepEqual(nginxTokens(r.text), nginxTokens(input), 'same tokens');
  assert.equal(formatText(r.text, opts).text, r.text, 'a second pass changes nothing');
  assert.equal(formatText(r.text, opts).edits.length, 0, 'and has no edits');
}

test('${VAR} templates stay whole (envsubst templates, ${name} in strings)', () => {
  golden(
    'server {\nlisten ${NGINX_PORT};\n  server_name ${server_name}   www.${server_name};\n      return 200 "${scheme}://${host}${request_uri}";\nset $a ${a}b;\n}\n',
    'server {\n    listen ${NGINX_PORT};\n    server_name ${server_name}   www.${server_name};\n    return 200 "${scheme}://${host}${request_uri}";\n    set $a ${a}b;\n}\n',
  );
});

test('regexes with {n,m} stay whole, quoted or inside map keys', () => {
  golden(
    'http {\nmap $uri $long {\n"~^/a{10,}$" 1;\n  default 0;\n}\nserver {\nlocation ~ "^/(\\d{3,5})/x{2}$" {\nreturn 204;\n}\n  rewrite "^/b{1,3}(.*)$" /c$1 last;\n}\n}\n',
    'http {\n    map $uri $long {\n        "~^/a{10,}$" 1;\n        default 0;\n    }\n    server {\n        location ~ "^/(\\d{3,5})/x{2}$" {\n            return 204;\n        }\n        rewrite "^/b{1,3}(.*)$" /c$1 last;\n    }\n}\n',
  );
});

test('tabs do not grow: formatting with tabs, again and again, or via spaces, gives the same file', () => {
  const input = 'http {\n\tserver {\n\t\tlisten 80;\n\t\tlog_format main \'$a\'\n\t\t\t\'$b\';\n\t\tlocation / {\n\t\t\tproxy_pass http://x;\n\t\t}\n\t}\n}\n';
  golden(input, input, TABS);
  let t = input;
  for (let i = 0; i < 5; i++) t = formatText(formatText(t, SPACES).text, TABS).text;
  assert.equal(t, input, 'tabs → spaces → tabs, five times');
  // a file indented with a mix of tabs and spaces settles at once
  const mixed = 'http {\n \tserver {\n\t    listen 80;\n  }\n}\n';
  golden(mixed, 'http {\n\tserver {\n\t\tlisten 80;\n\t}\n}\n', TABS);
});

test('no line is lost: comments, blank lines (runs of them become one) and multi-line arguments keep their lines', () => {
  golden(
    '# head comment\n\n\n\nhttp {\n  # about the format\n  log_format main \'$remote_addr - $remote_user [$time_local] "$request" \'\n                  \'$status $body_bytes_sent\';\n\n\n  # server below\n  server {\n  listen 80; # the port\n\n  }\n}\n',
    '# head comment\n\nhttp {\n    # about the format\n    log_format main \'$remote_addr - $remote_user [$time_local] "$request" \'\n                    \'$status $body_bytes_sent\';\n\n    # server below\n    server {\n        listen 80; # the port\n\n    }\n}\n',
  );
});

test('} # managed by Certbot stays on its line, after the brace', () => {
  golden(
    'server {\n  listen 443 ssl; # managed by Certbot\nssl_certificate /etc/letsencrypt/live/x/fullchain.pem; # managed by Certbot\n    } # managed by Certbot\nserver {\n    if ($host = example.com) {\n        return 301 https://$host$request_uri;\n    } # managed by Certbot\n  listen 80;\n    return 404; # managed by Certbot\n}\n',
    'server {\n    listen 443 ssl; # managed by Certbot\n    ssl_certificate /etc/letsencrypt/live/x/fullchain.pem; # managed by Certbot\n} # managed by Certbot\nserver {\n    if ($host = example.com) {\n        return 301 https://$host$request_uri;\n    } # managed by Certbot\n    listen 80;\n    return 404; # managed by Certbot\n}\n',
  );
});

test('Lua blocks are indented as a block; their lines are otherwise untouched', () => {
  golden(
    'location / {\ncontent_by_lua_block {\n      local t = {a = 1,  b = "}"}\n        if t.a then\n            ngx.say(t.b)   -- }\n        end\n  }\n}\n',
    'location / {\n    content_by_lua_block {\n        local t = {a = 1,  b = "}"}\n          if t.a then\n              ngx.say(t.b)   -- }\n          end\n    }\n}\n',
  );
  // a long string may span lines: the body keeps its lines exactly, only the closing brace moves
  const long = 'location / {\ncontent_by_lua_block {\n  local s = [[\n  keep   this\n]]\n  ngx.say(s)\n      }\n}\n';
  golden(long, 'location / {\n    content_by_lua_block {\n  local s = [[\n  keep   this\n]]\n  ngx.say(s)\n    }\n}\n');
  // a one-line body is kept as written
  golden('location / {\n  content_by_lua_block { ngx.say("a;b") }\n}\n', 'location / {\n    content_by_lua_block { ngx.say("a;b") }\n}\n');
});

test('one statement per line, except blocks the user wrote on one line', () => {
  golden(
    'server { listen 80; server_name a;\n  location = /x { return 204; }\nlocation /y { if ($a) { return 403; } proxy_pass http://b; }\n  location /z {return 200;}\n  events {}\n}\n',
    'server {\n    listen 80;\n    server_name a;\n    location = /x { return 204; }\n    location /y { if ($a) { return 403; } proxy_pass http://b; }\n    location /z {return 200;}\n    events {}\n}\n',
  );
});

test('a one-line block longer than 120 characters is split (a minified config gets its lines)', () => {
  const long = `events {} http { server { listen 80; server_name ${'a'.repeat(90)}; location / { return 204; } } }\n`;
  golden(long, `events {}\nhttp {\n    server {\n        listen 80;\n        server_name ${'a'.repeat(90)};\n        location / { return 204; }\n    }\n}\n`);
});

test('a brace or semicolon on its own line joins its statement; nothing joins a comment', () => {
  golden('server\n{\n  listen 80\n  ;\n}\n', 'server {\n    listen 80;\n}\n');
  // a comment can swallow a `;` (nginx reads the `;` on the next line): it stays there
  golden('worker_processes 1 #;\n;\n', 'worker_processes 1 #;\n;\n');
  golden('server # main\n{\n}\n', 'server # main\n{\n}\n');
});

test('# inside a word is not a comment; a quoted word may touch ; and )', () => {
  golden(
    'location / {\nreturn 200 a#b;\n  add_header X "a;b";\n    if ($x = "y") { return 403; }\n  set $q \'q\';\n}\n',
    'location / {\n    return 200 a#b;\n    add_header X "a;b";\n    if ($x = "y") { return 403; }\n    set $q \'q\';\n}\n',
  );
});

test('blanks within a line stay, trailing blanks go, nothing goes before ;', () => {
  golden('server {\n  listen       80 ;   \n    set $server   "127.0.0.1";\t\n}\n', 'server {\n    listen       80;\n    set $server   "127.0.0.1";\n}\n');
});

test('quoted strings spanning lines keep their inner lines; the lines after them shift', () => {
  golden('http {\nlog_format j escape=json \'{\n  "a": "$a"\n}\';\n}\n', 'http {\n    log_format j escape=json \'{\n  "a": "$a"\n}\';\n}\n');
});

test('CRLF stays CRLF; a final newline is added only when asked', () => {
  golden('server {\r\nlisten 80;\r\n  # c\r\n}\r\n', 'server {\r\n    listen 80;\r\n    # c\r\n}\r\n');
  golden('events {}', 'events {}');
  const r = formatText('events {}', { ...SPACES, insertFinalNewline: true });
  assert.equal(r.text, 'events {}\n');
  golden('events {}\n\n\n', 'events {}\n');
});

test('alignment (when asked): map/geo/types values and proxy_set_header runs; a blank or comment line ends a run', () => {
  const opts = { ...SPACES, align: true };
  golden(
    'map $http_upgrade $c {\ndefault upgrade;\n\'\' close;\n\n"~a{2}" x;\n}\nlocation / {\nproxy_set_header Host $host;\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n# next\nproxy_set_header Connection $c;\nproxy_set_header X $y;\n}\n',
    'map $http_upgrade $c {\n    default upgrade;\n    \'\'      close;\n\n    "~a{2}" x;\n}\nlocation / {\n    proxy_set_header Host            $host;\n    proxy_set_header Upgrade         $http_upgrade;\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    # next\n    proxy_set_header Connection $c;\n    proxy_set_header X          $y;\n}\n',
    opts,
  );
  // runs are what the printed file will hold: a `;` on its own line joins, `a; b;` splits
  golden(
    'location / {\nproxy_set_header A $a\n;\nproxy_set_header Upgrade $u; proxy_set_header C $c;\nlocation /x{return 204;}\n}\n',
    'location / {\n    proxy_set_header A       $a;\n    proxy_set_header Upgrade $u;\n    proxy_set_header C       $c;\n    location /x{return 204;}\n}\n',
    opts,
  );
});

test('a file with a syntax error is not formatted, and says why and where', () => {
  for (const bad of ['server {\n  listen 80;\n', 'server {\n  listen 80\n}\n', 'a "b"c;\n', '}\n']) {
    const r = formatText(bad, SPACES);
    assert.equal(r.edits.length, 0, bad);
    assert.equal(r.text, bad);
    assert.match(r.refused?.reason ?? '', /syntax error \(unexpected/, bad);
  }
  assert.equal(formatText('server {\n  listen 80\n}\n', SPACES).refused!.at, 'server {\n  listen 80\n'.length);
});

test('range formatting: whole statements only, the rest byte for byte, no text duplicated', () => {
  const src = 'http {\nserver {\nlisten 80;\n   location / {\n  return 200;\n        }\n  }\n    server_tokens off;\n}\n';
  const mid = src.indexOf('return');
  const r = formatRange(src, { start: mid, end: mid + 3 }, SPACES);
  assert.equal(r.text, 'http {\nserver {\nlisten 80;\n   location / {\n            return 200;\n        }\n  }\n    server_tokens off;\n}\n');
  assert.deepEqual(nginxTokens(r.text), nginxTokens(src));
  // a range reaching a closing brace takes the whole block
  const close = src.indexOf('        }');
  const r2 = formatRange(src, { start: close, end: close + 9 }, SPACES);
  assert.equal(r2.text, 'http {\nserver {\nlisten 80;\n        location / {\n            return 200;\n        }\n  }\n    server_tokens off;\n}\n');
  // a statement sharing a line with another is moved to a line of its own, the other left alone
  const two = 'server {\n  listen 80; server_name a;\n}\n';
  const r3 = formatRange(two, { start: two.indexOf('server_name'), end: two.indexOf('server_name') }, SPACES);
  assert.equal(r3.text, 'server {\n    listen 80;\n    server_name a;\n}\n', 'the line of the range is formatted');
  const lead = '\nserver {\nlisten 80;\n}\n';
  assert.equal(formatRange(lead, { start: 0, end: 0 }, SPACES).text, lead, 'an empty first line holds no statement');
  assert.equal(formatRange(lead, { start: 1, end: 1 }, SPACES).text, '\nserver {\n    listen 80;\n}\n', 'the line after it does');
  const r4 = formatRange(src, { start: src.length - 1, end: src.length }, SPACES);
  assert.equal(r4.text, formatText(src, SPACES).text, "the closing brace of http: the whole http block, here the whole file");
});

test('on type: } and ; re-indent their line and nothing else', () => {
  const src = 'http {\n    server {\n        listen 80;\n        }\n}\n';
  const at = src.indexOf('}') + 1;
  const r = formatOnType(src, at, '}', SPACES);
  assert.equal(r.text, 'http {\n    server {\n        listen 80;\n    }\n}\n');
  const semi = 'http {\n    server {\nlisten 80;\n    }\n}\n';
  assert.equal(formatOnType(semi, semi.indexOf(';') + 1, ';', SPACES).text, 'http {\n    server {\n        listen 80;\n    }\n}\n');
  // the end of a statement written over lines: its continuation line is the user's
  const cont = 'http {\n  log_format a \'x\'\n   \'y\';\n}\n';
  assert.equal(formatOnType(cont, cont.lastIndexOf(';') + 1, ';', SPACES).edits.length, 0);
  // works while the file is still unfinished elsewhere
  const open = 'http {\n    server {\n  listen 80;\n';
  assert.equal(formatOnType(open, open.length - 1, ';', SPACES).text, 'http {\n    server {\n        listen 80;\n');
  assert.equal(formatOnType(src, at, ';', SPACES).edits.length, 0, 'the character typed must be the one named');
});

test("the formatter's check catches the corruptions other formatters make", () => {
  const differs = (a: string, b: string) => firstDifference(a, tokensOf(parse(a)), b, tokensOf(parse(b)));
  const cases: Array<[string, string]> = [
    ['server_name ${server_name};\n', 'server_name $ {server_name};\n'],
    ['location ~ "^/a{10,}$" { }\n', 'location ~ "^/a{10, }$" { }\n'],
    ['a b; # one\n', 'a b; #  one\n'],
    ["a 'b';\n", 'a "b";\n'],
    ['content_by_lua_block {\n  local a = 1\n  local b = 2\n}\n', 'content_by_lua_block {\n  local a = 1 local b = 2\n}\n'],
    ['content_by_lua_block { ngx.say("a  b") }\n', 'content_by_lua_block { ngx.say("a b") }\n'],
    ['a b;\nc d;\n', 'a b;\n'],
  ];
  for (const [a, b] of cases) assert.ok(differs(a, b) >= 0, `${JSON.stringify(a)} → ${JSON.stringify(b)} must count as a change`);
  // and only blanks between tokens do not
  assert.equal(differs('server {\n  listen 80; # a\n}\n', 'server {\n\t\tlisten   80;   # a\n\n}'), -1);
  assert.equal(differs('content_by_lua_block {\n  a()\n    b()\n}\n', 'content_by_lua_block {\na()\n\tb()\n}\n'), -1);
});

test('an editor tab size of 0 or NaN does not break the formatter', () => {
  for (const tabSize of [0, NaN, -3, 100]) {
    const r = formatText('server {\nlisten 80;\n}\n', { tabSize, insertSpaces: false });
    assert.equal(r.refused, undefined);
    assert.match(r.text, /^server \{\n\t+listen 80;\n\}\n$/);
    assert.match(formatOnType('server {\nlisten 80;\n}\n', 19, ';', { tabSize, insertSpaces: true }).text, /^server \{\n +listen 80;/);
  }
});
