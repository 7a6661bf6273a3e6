// Parsing of the WebSocket URL a user types (RFC 6455 §3). Pure TS: used by the renderer form to
// give instant feedback and by main before it opens a socket, so both say the same thing.

export interface WsUrl {
  /** wss:// (TLS) or ws://. */
  secure: boolean;
  /** Host name or IP literal WITHOUT brackets (what a socket connects to). */
  host: string;
  /** TCP port; 80 / 443 when the URL has none. */
  port: number;
  /** Value of the Host header (RFC 6455 §4.1 item 4): host[:port], port omitted when default, IPv6 in brackets. */
  hostHeader: string;
  /** Request-target of the GET line: path + query, '/' when empty (RFC 6455 §3 "resource name"). */
  target: string;
  /** Normalised URL. */
  href: string;
}

export type ParseWsUrlResult = { ok: true; url: WsUrl } | { ok: false; message: string };

export const DEFAULT_WS_PORT = 80;
export const DEFAULT_WSS_PORT = 443;
const MAX_PORT = 65_535;

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):/;

function fail(message: string): ParseWsUrlResult {
  return { ok: false, message };
}

export function parseWsUrl(input: string): ParseWsUrlResult {
  const text = input.trim();
  if (text === '') return fail('Enter a WebSocket URL, for example ws://localhost:8080/');
  const scheme = SCHEME_RE.exec(text);
  if (!scheme) return fail(`"${text}" has no scheme — start it with ws:// or wss://`);
  const name = scheme[1].toLowerCase();
  if (name !== 'ws' && name !== 'wss') {
    const hint = name === 'https' ? 'wss://' : name === 'http' ? 'ws://' : 'ws:// or wss://';
    return fail(`${name}:// is not a WebSocket URL — use ${hint}`);
  }
  if (!text.slice(scheme[0].length).startsWith('//')) {
    return fail(`${name}: must be followed by // and a host, e.g. ${name}://example.com/`);
  }
  // RFC 6455 §3: "Fragment identifiers are meaningless in the context of WebSocket URIs and MUST NOT
  // be used on these URIs." Refuse rather than silently drop the user's text.
  if (text.includes('#')) return fail('A WebSocket URL cannot have a #fragment (RFC 6455 §3) — remove the part from #');
  // Authority is what follows // up to the first /, ? (no # possible any more).
  const afterSlashes = text.slice(scheme[0].length + 2);
  const authority = afterSlashes.split(/[/?]/, 1)[0];
  if (authority.includes('@')) {
    return fail('User name / password in the URL (user@host) are not sent by WebSocket clients — use an Authorization header instead');
  }
  if (authority === '') return fail('The URL has no host');
  if (authority.startsWith('[') && !authority.includes(']')) return fail('The IPv6 address is missing its closing ]');
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
  const portText = hostPort?.[2];
  if (portText !== undefined && portText !== '') {
    if (!/^[0-9]+$/.test(portText)) return fail(`Port "${portText}" is not a number`);
    const n = Number(portText);
    if (n < 1 || n > MAX_PORT) return fail(`Port ${portText} is out of range 1–65535`);
  }
  if (/\s/.test(text)) return fail('The URL contains white space — percent-encode it (%20)');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`"${text}" is not a valid URL (check the host and port)`);
  }
  if (url.hostname === '') return fail('The URL has no host');
  const secure = name === 'wss';
  let port = secure ? DEFAULT_WSS_PORT : DEFAULT_WS_PORT;
  if (url.port !== '') {
    port = Number(url.port);
    if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) return fail(`Port ${url.port} is out of range 1–65535`);
  }
  const bracketed = url.hostname.startsWith('[');
  const host = bracketed ? url.hostname.slice(1, -1) : url.hostname;
  const target = (url.pathname === '' ? '/' : url.pathname) + url.search;
  return {
    ok: true,
    // URL.host already omits a default port and keeps IPv6 brackets — exactly RFC 6455 §4.1 item 4.
    url: { secure, host, port, hostHeader: url.host, target, href: url.href },
  };
}
