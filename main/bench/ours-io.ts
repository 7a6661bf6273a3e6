// Ours, for the suites that need the whole stack (codec via the core, loopback via the transport,
// the session layer). Filled in as those layers land.
import type { Case } from './harness.ts';
import type { ClientFactory } from './loopback.ts';
import { maskers, type OursCodec } from './ours.ts';

export async function loadOurs(): Promise<OursCodec | null> {
  return {
    name: 'wirechat',
    parser: () => {
      throw new Error('parser not wired yet');
    },
    frame: () => {
      throw new Error('framer not wired yet');
    },
    maskers: maskers(),
    utf8: [],
  };
}

export function oursClient(): ClientFactory | null {
  return null;
}

export function sessionCases(_o: { messages: number }): Case[] {
  return [];
}
