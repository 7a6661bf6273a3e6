// Pure checks behind the Electron security settings (Electron security checklist: validate IPC
// senders, deny navigation, open only checked https URLs externally). No electron import, so they
// are unit tested in plain Node.

/** The renderer is served from this privileged custom scheme, never from remote content. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'wirechat';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Longest URL we hand to the operating system's browser. */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * An IPC message is trusted only from the top frame of our own page (no iframes, no other
 * origin). `frameUrl` is event.senderFrame.url; `isTopFrame` compares it with the main frame.
 */
export function isTrustedSender(frameUrl: string | undefined, isTopFrame: boolean): boolean {
  if (!isTopFrame || !frameUrl) return false;
  let u: URL;
  try {
    u = new URL(frameUrl);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
}

/** Is a navigation target our own page (a reload)? Everything else is denied. */
export function isAppUrl(url: string): boolean {
  return isTrustedSender(url, true);
}

/**
 * Links the user clicks may open in the system browser only when they parse as plain https URLs
 * without credentials (no file:, javascript:, custom schemes or smuggled user:pass@).
 */
export function safeExternalUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return null;
  // The URL parser silently strips surrounding whitespace/controls; refuse them instead.
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.hostname === '') return null;
  return u.href;
}
