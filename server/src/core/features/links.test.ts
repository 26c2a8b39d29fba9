import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../analysis';
import { DEFAULT_OPTIONS } from '../model/tree';
import { documentLinks } from './links';
import { MemoryHost } from '../../../../test/util/fixture';

test('links: a concrete include, a glob to its first match, certificates relative to the prefix or re-rooted; no link for variables or data:', () => {
  const main = `events {}
http {
    include mime.types;
    include "conf.d/*.conf";
    include sites-enabled/*;
    server {
        listen 443 ssl;
        ssl_certificate certs/site.pem;
        ssl_certificate_key /etc/nginx/certs/site.key;
        ssl_trusted_certificate $ssl_dir/ca.pem;
        ssl_dhparam "data:-----BEGIN DH PARAMETERS-----";
        ssl_client_certificate certs/missing.pem;
    }
}
`;
  const files = new Map([
    ['/w/nginx.conf', main],
    ['/w/mime.types', 'types { text/html html; }\n'],
    ['/w/conf.d/b.conf', '# b\n'],
    ['/w/conf.d/a.conf', '# a\n'],
    ['/w/certs/site.pem', 'PEM'],
    ['/w/certs/site.key', 'KEY'],
  ]);
  const ws = new Workspace(new MemoryHost(files), DEFAULT_OPTIONS);
  ws.setFiles(['/w/nginx.conf', '/w/mime.types', '/w/conf.d/a.conf', '/w/conf.d/b.conf']);
  const links = documentLinks(ws, '/w/nginx.conf').map((l) => [main.slice(l.span.start, l.span.end), l.target, l.matches]);
  assert.deepEqual(links, [
    ['mime.types', '/w/mime.types', undefined],
    ['conf.d/*.conf', '/w/conf.d/a.conf', 2],
    ['certs/site.pem', '/w/certs/site.pem', undefined],
    ['/etc/nginx/certs/site.key', '/w/certs/site.key', undefined],
  ]);
});
