import type { Ctx } from '../data/directives';

/**
 * The context a block directive opens, given the context it stands in (mirrors which
 * cmd_type nginx sets for the block's contents: NGX_HTTP_SRV_CONF for server{}, NGX_HTTP_SIF_CONF
 * for if{} inside a server, …). undefined: the block's contents are not nginx directives
 * we can judge (a handler block such as map{}, or an unknown third-party block).
 */
export function childContext(ctx: Ctx, name: string): Ctx | undefined {
  switch (ctx) {
    case 'main':
      if (name === 'events') return 'events';
      if (name === 'http') return 'http';
      if (name === 'stream') return 'stream';
      if (name === 'mail') return 'mail';
      return undefined;
    case 'http':
      if (name === 'server') return 'server';
      if (name === 'upstream') return 'upstream';
      return undefined;
    case 'server':
      if (name === 'location') return 'location';
      if (name === 'if') return 'if-server';
      return undefined;
    case 'location':
      if (name === 'location') return 'location';
      if (name === 'if') return 'if-location';
      if (name === 'limit_except') return 'limit_except';
      return undefined;
    case 'stream':
      if (name === 'server') return 'stream-server';
      if (name === 'upstream') return 'stream-upstream';
      return undefined;
    case 'mail':
      if (name === 'server') return 'mail-server';
      return undefined;
    default:
      return undefined;
  }
}
