// The connection form as data: a draft the user edits, and one pure validation that either yields
// the ConnectOptions to send or says, per field, what is wrong. The rules are the shared ones
// (shared/ws-url.ts, shared/handshake-headers.ts) so the form and main never disagree.
import type { ConnectOptions, HeaderEntry } from '../../shared/model.ts';
import { Defaults } from '../../shared/protocol-constants.ts';
import { parseWsUrl } from '../../shared/ws-url.ts';
import { validateOrigin, validateSubprotocols, validateUserHeaders } from '../../shared/handshake-headers.ts';
import { MAX_KEEPALIVE_SEC, MAX_MESSAGE_LIMIT_BYTES, MAX_PEM_CHARS } from '../../shared/validate.ts';

export const BYTES_PER_MIB = 1024 * 1024;
export const DEFAULT_MAX_MESSAGE_MIB = Defaults.maxMessageBytes / BYTES_PER_MIB;
const PEM_CERT_MARKER = '-----BEGIN CERTIFICATE-----';

export interface FormDraft {
  url: string;
  /** As typed: names separated by commas and/or spaces. */
  protocols: string;
  headers: HeaderEntry[];
  origin: string;
  deflate: boolean;
  autoPong: boolean;
  /** Seconds as typed; empty or 0 = off. */
  keepaliveSec: string;
  /** MiB as typed. */
  maxMessageMiB: string;
  verifyTls: boolean;
  caPem: string | null;
  caFileName: string | null;
}

export function emptyDraft(): FormDraft {
  return {
    url: '',
    protocols: '',
    headers: [],
    origin: '',
    deflate: true,
    autoPong: true,
    keepaliveSec: '',
    maxMessageMiB: String(DEFAULT_MAX_MESSAGE_MIB),
    verifyTls: true,
    caPem: null,
    caFileName: null,
  };
}

/** Shown as the CA "file name" when a draft is rebuilt from options that carry a CA (no file name). */
export const CA_FROM_OPTIONS = 'CA certificate from the earlier connection';

export function draftFromOptions(o: ConnectOptions): FormDraft {
  return {
    ...emptyDraft(),
    url: o.url,
    protocols: (o.protocols ?? []).join(', '),
    headers: (o.headers ?? []).map((h) => ({ ...h })),
    origin: o.origin ?? '',
    deflate: o.deflate ?? true,
    autoPong: o.autoPong ?? true,
    keepaliveSec: o.keepaliveIntervalSec ? String(o.keepaliveIntervalSec) : '',
    maxMessageMiB: String((o.maxMessageBytes ?? Defaults.maxMessageBytes) / BYTES_PER_MIB),
    verifyTls: o.tls?.verify ?? true,
    caPem: o.tls?.caPem ?? null,
    // The form shows a CA only by its file name: without one, a CA that IS set would look unset.
    caFileName: o.tls?.caPem !== undefined ? CA_FROM_OPTIONS : null,
  };
}

export interface FormErrors {
  url?: string;
  protocols?: string;
  origin?: string;
  /** Index into draft.headers of the offending row, and why. */
  header?: { index: number; message: string };
  keepaliveSec?: string;
  maxMessageMiB?: string;
  ca?: string;
}

export type FormResult = { ok: true; options: ConnectOptions } | { ok: false; errors: FormErrors };

export function splitProtocols(text: string): string[] {
  return text.split(/[\s,]+/).filter((p) => p !== '');
}

/** Header rows with both cells blank are placeholders, not headers. */
function usedHeaders(headers: readonly HeaderEntry[]): { entry: HeaderEntry; index: number }[] {
  return headers.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.name !== '' || entry.value !== '');
}

export function validateDraft(d: FormDraft): FormResult {
  const errors: FormErrors = {};
  const url = parseWsUrl(d.url);
  if (!url.ok) errors.url = url.message;

  const protocols = splitProtocols(d.protocols);
  const pv = validateSubprotocols(protocols);
  if (!pv.ok) errors.protocols = pv.message;

  const origin = d.origin.trim();
  if (origin !== '') {
    const ov = validateOrigin(origin);
    if (!ov.ok) errors.origin = ov.message;
  }

  const used = usedHeaders(d.headers);
  const hv = validateUserHeaders(
    used.map((u) => u.entry),
    origin !== '' ? { origin } : {},
  );
  if (!hv.ok) errors.header = { index: used[hv.index]?.index ?? hv.index, message: hv.message };

  let keepalive = 0;
  if (d.keepaliveSec.trim() !== '') {
    keepalive = Number(d.keepaliveSec);
    if (!Number.isFinite(keepalive) || keepalive < 0 || keepalive > MAX_KEEPALIVE_SEC) {
      errors.keepaliveSec = `Enter seconds between 0 (off) and ${MAX_KEEPALIVE_SEC}.`;
    }
  }

  const mib = Number(d.maxMessageMiB);
  const maxBytes = Math.round(mib * BYTES_PER_MIB);
  if (d.maxMessageMiB.trim() === '' || !Number.isFinite(mib) || maxBytes < 1 || maxBytes > MAX_MESSAGE_LIMIT_BYTES) {
    errors.maxMessageMiB = `Enter a size in MB greater than 0 and at most ${MAX_MESSAGE_LIMIT_BYTES / BYTES_PER_MIB}.`;
  }

  if (d.caPem !== null) {
    if (d.caPem.length > MAX_PEM_CHARS) errors.ca = 'This file is too large to be a CA certificate (over 1 MB).';
    else if (!d.caPem.includes(PEM_CERT_MARKER)) {
      errors.ca = `This file is not a PEM certificate: it has no "${PEM_CERT_MARKER}" line.`;
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const options: ConnectOptions = {
    url: d.url.trim(),
    deflate: d.deflate,
    autoPong: d.autoPong,
    maxMessageBytes: maxBytes,
  };
  if (protocols.length) options.protocols = protocols;
  if (used.length) options.headers = used.map((u) => ({ name: u.entry.name, value: u.entry.value }));
  if (origin !== '') options.origin = origin;
  if (keepalive > 0) options.keepaliveIntervalSec = keepalive;
  // TLS options only mean something for wss:// (main refuses them for ws://).
  if (url.ok && url.url.secure) {
    options.tls = { verify: d.verifyTls };
    if (d.caPem !== null) options.tls.caPem = d.caPem;
  }
  return { ok: true, options };
}
