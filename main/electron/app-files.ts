// Resolution of app://wirechat/<path> requests to files of the built renderer. Only files inside
// the renderer folder are ever served (shared/security-headers.ts safeRelativePath refuses .., NUL,
// backslashes and dotfiles; realpath catches symlinks leading out).

import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { contentTypeFor, safeRelativePath } from '../../shared/security-headers.ts';
import { APP_HOST, APP_SCHEME } from './security.ts';

export interface AppFile {
  path: string;
  contentType: string;
}

export function resolveAppFile(requestUrl: string, rendererDir: string): AppFile | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  const rel = safeRelativePath(u.pathname);
  if (rel === null) return null;
  try {
    const root = realpathSync(rendererDir);
    const file = realpathSync(join(root, rel));
    if (!file.startsWith(root + sep) || !statSync(file).isFile()) return null;
    return { path: file, contentType: contentTypeFor(rel) ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
