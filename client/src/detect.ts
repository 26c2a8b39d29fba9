// Language detection for nginx files outside the manifest's patterns (deploy/chat.conf, a
// site.conf at the root, app.conf.template anywhere): when such a file opens as plain text or
// as another `.conf` language and its first statement is nginx's (`server {`, `http {`,
// `upstream x {`, `location / {`…), it becomes nginx. Other programs' .conf files stay as they are.
import { languages, workspace, type ExtensionContext, type TextDocument } from 'vscode';
import { looksLikeNginx } from '../../server/src/core/index';

/** Names worth a look: a .conf or a template of one; never a file another extension claimed by name. */
const CANDIDATE = /\.(conf|conf\.template|template|tmpl)$/i;
/** Languages VS Code gives such files when nothing knows better. */
const GENERIC = new Set(['plaintext', 'properties', 'ini']);

export function registerDetection(context: ExtensionContext): void {
  const check = (doc: TextDocument) => {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return;
    if (!GENERIC.has(doc.languageId) || !CANDIDATE.test(doc.fileName)) return;
    if (looksLikeNginx(doc.getText())) void languages.setTextDocumentLanguage(doc, 'nginx');
  };
  context.subscriptions.push(workspace.onDidOpenTextDocument(check));
  workspace.textDocuments.forEach(check);
}
