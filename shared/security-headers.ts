// The one Content-Security-Policy for the renderer page, in Electron (custom protocol responses)
// and in the local browser host (every HTTP response). No inline script; connections only to our
// own origin (the browser host's API); nothing may frame the page.

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response carrying our page or its assets gets. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/** Content types for the files a built renderer contains. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Map a URL path ("/assets/a.png") to a path relative to the renderer root, or null when it could
 * escape the root (.., encoded separators, NUL, backslashes) or is malformed. "/" → "index.html".
 * Pure string logic so both hosts share it.
 */
export function safeRelativePath(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts: string[] = [];
  for (const seg of decoded.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') return null; // Never resolve upwards, even if it would stay inside the root.
    if (seg.startsWith('.')) return null; // No dotfiles.
    parts.push(seg);
  }
  return parts.length === 0 ? 'index.html' : parts.join('/');
}

export function contentTypeFor(relPath: string): string | undefined {
  const dot = relPath.lastIndexOf('.');
  return dot < 0 ? undefined : CONTENT_TYPES[relPath.slice(dot).toLowerCase()];
}
