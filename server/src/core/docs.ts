/** Where each diagnostic code is documented; the single source for codeDescription links. */
export const DOCS_BASE = 'https://github.com/nginx-websocket/nginx-websocket/blob/main/docs/rules/';

export function docsUrl(code: string): string {
  return `${DOCS_BASE}${code}.md`;
}
