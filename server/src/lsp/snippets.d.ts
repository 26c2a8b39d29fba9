// snippets/nginx.code-snippets is JSON; esbuild bundles it with its JSON loader.
declare module '*.code-snippets' {
  const snippets: Record<string, { prefix: string | string[]; body: string | string[]; description?: string }>;
  export default snippets;
}
