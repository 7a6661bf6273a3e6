// Command-line options that describe a connection, shared by every subcommand that connects.
// They are turned into ConnectOptions and checked by the same validator the UI uses
// (shared/validate.ts), so the CLI refuses exactly what the app refuses, with the same words.

import type { ConnectOptions, HeaderEntry } from '../../shared/model.ts';
import { validateConnectOptions } from '../../shared/validate.ts';
import { UsageError, type OptionSpec, type ParsedArgs } from './args.ts';

export const CONNECT_OPTION_SPECS: OptionSpec[] = [
  { name: 'protocol', short: 'p', kind: 'list', valueName: 'NAME', description: 'offer a subprotocol (Sec-WebSocket-Protocol), in preference order' },
  { name: 'header', short: 'H', kind: 'list', valueName: '"Name: value"', description: 'add a request header' },
  { name: 'origin', kind: 'value', valueName: 'ORIGIN', description: 'send an Origin header' },
  { name: 'deflate', kind: 'flag', description: 'offer permessage-deflate (default on; --no-deflate to turn off)' },
  { name: 'ca', kind: 'value', valueName: 'FILE', description: 'trust this CA certificate (PEM) for wss://' },
  { name: 'insecure', short: 'k', kind: 'flag', description: 'do not verify the server certificate (wss://)' },
  { name: 'max-message', kind: 'value', valueName: 'BYTES', description: 'largest incoming message accepted (default 64 MiB)' },
  { name: 'handshake-timeout', kind: 'value', valueName: 'MS', description: 'give up if the handshake takes longer (default 15000)' },
];

function parseHeader(text: string): HeaderEntry {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`--header "${text}" must look like "Name: value"`);
  return { name: text.slice(0, colon).trim(), value: text.slice(colon + 1).trim() };
}

function parseInteger(name: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${text}"`);
  return Number(text);
}

/** Build validated ConnectOptions from the parsed command line. Throws UsageError with the reason. */
export async function connectOptionsFrom(url: string, args: ParsedArgs, readFile: (path: string) => Promise<string>): Promise<ConnectOptions> {
  const draft: ConnectOptions = { url };
  const protocols = args.lists.get('protocol');
  if (protocols) draft.protocols = protocols;
  const headers = args.lists.get('header');
  if (headers) draft.headers = headers.map(parseHeader);
  const origin = args.values.get('origin');
  if (origin !== undefined) draft.origin = origin;
  const deflate = args.flags.get('deflate');
  if (deflate !== undefined) draft.deflate = deflate;
  const ca = args.values.get('ca');
  const insecure = args.flags.get('insecure') === true;
  if (ca !== undefined || insecure) {
    draft.tls = { verify: !insecure };
    if (ca !== undefined) {
      try {
        draft.tls.caPem = await readFile(ca);
      } catch (err) {
        throw new UsageError(`cannot read --ca ${ca}: ${(err as Error).message}`);
      }
    }
  }
  const maxMessage = args.values.get('max-message');
  if (maxMessage !== undefined) draft.maxMessageBytes = parseInteger('max-message', maxMessage);
  const timeout = args.values.get('handshake-timeout');
  if (timeout !== undefined) draft.handshakeTimeoutMs = parseInteger('handshake-timeout', timeout);

  const checked = validateConnectOptions(draft);
  if (!checked.ok) throw new UsageError(checked.error.message);
  return checked.value;
}
