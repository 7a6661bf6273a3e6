import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBase64, parseHex, parseInputLine } from '../input-commands.ts';
import { exitCodeFor, ExitCode } from '../exit-codes.ts';
import type { CloseInfo, ErrorRecord } from '../../../shared/model.ts';

test('plain lines are text; // escapes a leading slash', () => {
  assert.deepEqual(parseInputLine('hello /world'), { kind: 'text', text: 'hello /world' });
  assert.deepEqual(parseInputLine(''), { kind: 'text', text: '' });
  assert.deepEqual(parseInputLine('//binary 00'), { kind: 'text', text: '/binary 00' });
});

test('/binary and /base64 decode exactly, or refuse without inventing bytes', () => {
  assert.deepEqual(parseInputLine('/binary 00 ff:10AB'), { kind: 'binary', data: Uint8Array.from([0, 255, 16, 171]) });
  assert.deepEqual(parseInputLine('/binary'), { kind: 'binary', data: new Uint8Array(0) });
  assert.equal(parseHex('abc'), 'odd number of hex digits');
  assert.equal(parseHex('zz'), 'not hexadecimal');
  assert.deepEqual(parseInputLine('/base64 AAEC/w=='), { kind: 'binary', data: Uint8Array.from([0, 1, 2, 255]) });
  assert.deepEqual(parseBase64('AAEC_w'), Uint8Array.from([0, 1, 2, 255]));
  assert.equal(parseBase64('AA!C'), 'not valid base64');
  assert.equal(parseBase64('A'), 'not valid base64');
  assert.equal(parseInputLine('/base64 @@').kind, 'error');
});

test('/ping and /pong carry UTF-8 payloads up to 125 bytes (RFC 6455 §5.5)', () => {
  assert.deepEqual(parseInputLine('/ping'), { kind: 'ping', payload: new Uint8Array(0) });
  assert.deepEqual(parseInputLine('/pong é'), { kind: 'pong', payload: Uint8Array.from([0xc3, 0xa9]) });
  assert.equal(parseInputLine('/ping ' + 'x'.repeat(125)).kind, 'ping');
  assert.equal(parseInputLine('/ping ' + 'é'.repeat(63)).kind, 'error');
});

test('/close takes an optional user-sendable code and a reason of at most 123 bytes', () => {
  assert.deepEqual(parseInputLine('/close'), { kind: 'close' });
  assert.deepEqual(parseInputLine('/close 1000'), { kind: 'close', code: 1000, reason: '' });
  assert.deepEqual(parseInputLine('/close 4000 bye now'), { kind: 'close', code: 4000, reason: 'bye now' });
  for (const bad of ['/close 1005', '/close 1006', '/close 2999', '/close 5000', '/close abc', '/close 1000.5']) assert.equal(parseInputLine(bad).kind, 'error', bad);
  assert.equal(parseInputLine('/close 1000 ' + 'r'.repeat(123)).kind, 'close');
  assert.equal(parseInputLine('/close 1000 ' + 'r'.repeat(124)).kind, 'error');
});

test('unknown commands are errors that say how to send the text anyway', () => {
  const a = parseInputLine('/frobnicate now');
  assert.equal(a.kind, 'error');
  assert.match((a as { message: string }).message, /unknown command \/frobnicate.*\/\//);
  assert.deepEqual(parseInputLine('/help'), { kind: 'help' });
});

test('exit codes map each ending to its own code', () => {
  const err = (code: ErrorRecord['code'], closeCode?: number): ErrorRecord => ({ code, message: code, time: 0, closeCode });
  const close = (code: number, wasClean: boolean, initiatedBy: CloseInfo['initiatedBy']): CloseInfo => ({ code, reason: '', wasClean, initiatedBy });
  assert.equal(exitCodeFor(undefined, close(1000, true, 'client')), ExitCode.Ok);
  assert.equal(exitCodeFor(undefined, close(1001, true, 'server')), ExitCode.Ok);
  assert.equal(exitCodeFor(undefined, close(1005, true, 'server')), ExitCode.Ok);
  assert.equal(exitCodeFor(undefined, close(4000, true, 'client')), ExitCode.Ok);
  assert.equal(exitCodeFor(undefined, close(4000, true, 'server')), ExitCode.ClosedWithError);
  assert.equal(exitCodeFor(undefined, close(1011, true, 'server')), ExitCode.ClosedWithError);
  assert.equal(exitCodeFor(err('REFUSED'), close(1006, false, 'none')), ExitCode.ConnectionFailed);
  assert.equal(exitCodeFor(err('NETWORK'), close(1006, false, 'none'), true), ExitCode.AbnormalClose);
  assert.equal(exitCodeFor(err('HANDSHAKE_ACCEPT'), close(1006, false, 'none')), ExitCode.HandshakeFailed);
  assert.equal(exitCodeFor(err('INVALID_UTF8', 1007), close(1007, true, 'client'), true), ExitCode.ProtocolError);
  assert.equal(exitCodeFor(undefined, close(1002, true, 'server'), true), ExitCode.ProtocolError);
  assert.equal(exitCodeFor(err('CLOSE_TIMEOUT'), close(1006, false, 'client'), true), ExitCode.AbnormalClose);
  assert.equal(exitCodeFor(undefined, close(1006, false, 'none'), true), ExitCode.AbnormalClose);
});
