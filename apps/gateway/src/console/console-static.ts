import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the console is reached: one prefix, so the SPA's own routes never meet the API's. */
export const CONSOLE_PATH = '/console';

/**
 * Everything the console loads is its own bundle (no CDN, no inline script):
 * scripts and styles from this origin only, API calls to this origin only,
 * never framed. React sets element styles through the CSSOM, which CSP does
 * not govern, so no 'unsafe-inline' is needed.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/** The gateway's Nest app, or a plain Express app in the unit test. */
export interface MiddlewareHost {
  use(path: string, ...handlers: RequestHandler[]): unknown;
}

/** dist/console beside dist/apps/gateway (where `npm run build` puts it), unless CONSOLE_DIR says. */
export function consoleDirectory(configured: string | undefined): string {
  return path.resolve(configured ?? path.join(__dirname, '..', '..', '..', '..', 'console'));
}

/**
 * Serves the console's static files under /console with a strict CSP, and
 * index.html for every other path below it (the SPA routes itself). Hashed
 * assets are cached for a year; index.html never, so a new build is seen at
 * once. Without a build the prefix answers 404 saying how to build it.
 */
export function serveConsole(app: MiddlewareHost, directory: string): void {
  const index = path.join(directory, 'index.html');
  app.use(CONSOLE_PATH, (_request: Request, response: Response, next: NextFunction) => {
    response.set(SECURITY_HEADERS);
    next();
  });
  app.use(
    `${CONSOLE_PATH}/assets`,
    express.static(path.join(directory, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
    }),
  );
  app.use(CONSOLE_PATH, express.static(directory, { index: false, maxAge: 0 }));
  app.use(CONSOLE_PATH, (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    // A missing asset is a 404, not the page (a script answered with HTML breaks obscurely).
    if (request.path.startsWith('/assets/')) return notFound(response, 'no such console asset');
    if (!fs.existsSync(index)) {
      return notFound(response, 'the console is not built: run npm run build');
    }
    response.set('cache-control', 'no-cache').sendFile(index);
  });
}

function notFound(response: Response, detail: string): void {
  response
    .status(404)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail }));
}
