// Scenario 7: wss:// to a server whose certificate is signed by a throw-away CA (made by openssl at
// test time). By default verification fails with a certificate error; it connects with verification
// turned off (and says it is not verified), or with the CA chosen in the file chooser (verified).
import { test, expect } from '../fixtures/test.ts';

test('self-signed chain: certificate error by default; works with verification off or the CA supplied', async ({ app, peers }) => {
  const peer = await peers.tls();

  // 1. Default settings: the certificate is not trusted.
  const strict = await app.connect({ url: peer.urlFor('/echo?attempt=default') });
  await strict.expectState('CLOSED');
  await expect(strict.errors).toContainText(/certificate/i);
  await expect(strict.errors).toContainText('TLS');

  // 2. Verification off: it opens, and the handshake panel says the certificate was not verified.
  const insecure = await app.open({ url: peer.urlFor('/echo?attempt=insecure'), verifyTls: false });
  await insecure.sendMessage('over TLS, unverified');
  await expect(insecure.messages('Received', 'text')).toHaveCount(1);
  await insecure.showView('Handshake');
  await expect(insecure.root.getByRole('definition').filter({ hasText: /^\s*not verified/ })).toBeVisible();

  // 3. The CA supplied with the file chooser: verified.
  const trusted = await app.open({ url: peer.urlFor('/echo?attempt=ca'), caFile: { name: 'wirechat-test-ca.pem', pem: peer.caPem } });
  await trusted.sendMessage('over TLS, verified');
  await expect(trusted.messages('Received', 'text')).toContainText(['over TLS, verified']);
  await trusted.showView('Handshake');
  await expect(trusted.root.getByRole('definition').filter({ hasText: /^\s*verified\s*$/ })).toBeVisible();

  await peer.waitFor(() => peer.received.length === 2, 'both TLS messages at the server');
});

test('a file that is not a PEM certificate is explained in the form and nothing connects', async ({ app, peers }) => {
  const peer = await peers.tls();
  await app.newConnectionTab.click();
  await app.form.fill({ url: peer.url, caFile: { name: 'notes.txt', pem: 'just some text' } });
  await expect(app.form.caFile).toHaveAttribute('aria-invalid', 'true');
  await expect(app.form.caFile).toHaveAccessibleDescription(/not a PEM certificate/);
  await app.form.connectButton.click();
  await expect(app.form.caFile).toBeFocused();
  // Fixing the file lets it connect; the server's first upgrade is that one.
  await app.form.fill({ url: peer.urlFor('/echo?fixed=1'), caFile: { name: 'ca.pem', pem: peer.caPem } });
  await app.form.connectButton.click();
  await app.connection(peer.urlFor('/echo?fixed=1')).expectState('OPEN');
  expect(peer.upgrades.map((u) => u.url)).toEqual(['/echo?fixed=1']);
});
