// A wss:// echo server (the `ws` package on node:https) with a certificate chain made at test
// time by the openssl CLI: a throw-away CA and a server certificate for 127.0.0.1 and localhost.
// Nothing is checked in; the temp dir is removed on stop().

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startWsPeer, type WsPeer, type WsPeerOptions } from './ws-peers.ts';

const run = promisify(execFile);
const OPENSSL = process.env.WIRECHAT_OPENSSL ?? 'openssl';
/** Short-lived: these certificates only live for one test run. */
const CERT_DAYS = '2';
/** P-256 keys are generated in milliseconds, unlike RSA. */
const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface TestCertificates {
  caPem: string;
  keyPem: string;
  certPem: string;
  /** A client certificate (CN=wirechat-test-client) signed by the same CA, for mutual TLS. */
  clientKeyPem: string;
  clientCertPem: string;
  dir: string;
}

/** Make a CA and a server certificate (SAN IP:127.0.0.1, DNS:localhost) in a fresh temp dir. */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'wirechat-tls-'));
  const f = (name: string): string => join(dir, name);
  try {
    await run(OPENSSL, [
      'req', '-x509', ...KEY_ARGS, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', CERT_DAYS,
      '-subj', '/CN=Wirechat Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await run(OPENSSL, ['req', ...KEY_ARGS, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost']);
    await writeFile(
      f('server.ext'),
      [
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        '',
      ].join('\n'),
    );
    await run(OPENSSL, [
      'x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial',
      '-out', f('server.pem'), '-days', CERT_DAYS, '-extfile', f('server.ext'),
    ]);
    await run(OPENSSL, ['req', ...KEY_ARGS, '-keyout', f('client.key'), '-out', f('client.csr'), '-subj', '/CN=wirechat-test-client']);
    await writeFile(f('client.ext'), ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth', ''].join('\n'));
    await run(OPENSSL, [
      'x509', '-req', '-in', f('client.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial',
      '-out', f('client.pem'), '-days', CERT_DAYS, '-extfile', f('client.ext'),
    ]);
    const [caPem, keyPem, certPem, clientKeyPem, clientCertPem] = await Promise.all(
      ['ca.pem', 'server.key', 'server.pem', 'client.key', 'client.pem'].map((n) => readFile(f(n), 'utf8')),
    );
    return { caPem, keyPem, certPem, clientKeyPem, clientCertPem, dir };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export interface TlsPeer extends WsPeer {
  /** The CA that signed the server certificate, PEM (for tls.caPem). */
  caPem: string;
  certPem: string;
  /** A client certificate + key the server trusts (for requireClientCert). */
  clientCertPem: string;
  clientKeyPem: string;
}

export interface TlsPeerOptions extends Omit<WsPeerOptions, 'tls'> {
  /** Mutual TLS: refuse clients without a certificate signed by the test CA. */
  requireClientCert?: boolean;
}

/** A wss echo server (same behaviours as ws-peers.ts) on a freshly generated certificate. */
export async function startTlsPeer(options: TlsPeerOptions = {}): Promise<TlsPeer> {
  const certs = await makeTestCertificates();
  let peer: WsPeer;
  const { requireClientCert, ...wsOptions } = options;
  try {
    peer = await startWsPeer({
      ...wsOptions,
      tls: { keyPem: certs.keyPem, certPem: certs.certPem, ...(requireClientCert ? { clientCaPem: certs.caPem } : {}) },
    });
  } catch (err) {
    await rm(certs.dir, { recursive: true, force: true });
    throw err;
  }
  const stop = peer.stop;
  return Object.assign(peer, {
    caPem: certs.caPem,
    certPem: certs.certPem,
    clientCertPem: certs.clientCertPem,
    clientKeyPem: certs.clientKeyPem,
    stop: async () => {
      await stop();
      await rm(certs.dir, { recursive: true, force: true });
    },
  });
}
