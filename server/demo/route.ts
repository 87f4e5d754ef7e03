/**
 * The live-dashboard example at /demo (never in production; DEMO_PAGE=false
 * turns it off elsewhere). The page (api/demo/) uses the typed SDK; its script is
 * bundled for the browser with esbuild on first request, so the served code is
 * always the SDK as committed, with no build artefact to go stale. esbuild is a
 * development dependency, which is why it is imported only here, lazily.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../api/config';
import { DEMO_PASSWORD, demoAccounts } from '../../seeds';

const demoDir = import.meta.dirname;

export function demoPageEnabled(config: Config): boolean {
  return config.env !== 'production' && config.raw.DEMO_PAGE?.trim().toLowerCase() !== 'false';
}

const headers = (type: string) => ({
  'content-type': type,
  'cache-control': 'no-store',
  // Everything comes from this server: no tiles, fonts or scripts from elsewhere.
  'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'",
});

let bundle: Promise<string> | undefined;

async function bundleApp(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(demoDir, 'app.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Answers /demo requests; null for every other path. */
export async function handleDemoRequest(request: Request): Promise<Response | null> {
  const { pathname } = new URL(request.url);
  if (request.method !== 'GET' || !(pathname === '/demo' || pathname.startsWith('/demo/'))) return null;
  switch (pathname) {
    case '/demo':
    case '/demo/':
      return new Response(page(), { headers: headers('text/html; charset=utf-8') });
    case '/demo/demo.css':
      return new Response(readFileSync(join(demoDir, 'demo.css')), { headers: headers('text/css; charset=utf-8') });
    case '/demo/app.js':
      try {
        return new Response(await (bundle ??= bundleApp()), { headers: headers('text/javascript; charset=utf-8') });
      } catch (e) {
        bundle = undefined;
        throw e;
      }
    default:
      return new Response('Not found', { status: 404 });
  }
}

/** The page with the sign-in form prefilled with the first demo customer (seeds/index.ts). */
function page(): string {
  const customer = demoAccounts.find((a) => a.roles.includes('CUSTOMER'))!;
  return readFileSync(join(demoDir, 'index.html'), 'utf8')
    .replace('name="email"', `name="email" value="${escapeAttribute(customer.email)}"`)
    .replace('name="password"', `name="password" value="${escapeAttribute(DEMO_PASSWORD)}"`);
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
