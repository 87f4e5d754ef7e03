/**
 * GET/POST /unsubscribe?token=...: the link at the end of each notice.
 * POST performs the opt-out (RFC 8058 one-click, as mail clients send it);
 * GET only shows a button that posts, so link scanners that prefetch URLs
 * cannot opt anyone out by accident.
 */
import { unsubscribe } from './service';
import { isAppError, type PluginRoute } from '../../schema/plugin-api';

const page = (status: number, body: string) =>
  new Response(
    `<!doctype html><html lang="lv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Atteikties / Unsubscribe</title></head><body>${body}</body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
  );
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const unsubscribeRoutes: PluginRoute[] = [
  {
    method: 'GET',
    path: '/unsubscribe',
    handler: (request) => {
      const token = new URL(request.url).searchParams.get('token') ?? '';
      return page(
        200,
        `<form method="post" action="/unsubscribe?token=${escape(encodeURIComponent(token))}"><p>Vai atteikties no šiem paziņojumiem? / Stop these notices?</p><button type="submit">Atteikties / Unsubscribe</button></form>`,
      );
    },
  },
  {
    method: 'POST',
    path: '/unsubscribe',
    handler: async (request, app) => {
      const token = new URL(request.url).searchParams.get('token') ?? '';
      try {
        await unsubscribe(app, token);
        return page(200, '<p>Jūs vairs nesaņemsiet šos paziņojumus. / You will not receive these notices any more.</p>');
      } catch (e) {
        if (isAppError(e) && e.extensions.code === 'BAD_USER_INPUT') {
          return page(400, '<p>Saite nav derīga. / This link is not valid.</p>');
        }
        throw e;
      }
    },
  },
];
