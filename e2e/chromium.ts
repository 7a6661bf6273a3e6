// Debian's Chromium and the flags every headless run here uses (Playwright projects, screenshot
// scripts, the benchmark's native-WebSocket anchor). One list, so they cannot drift apart.
// Without the background-networking flags Chromium keeps dialling hosts this machine cannot reach.
export const CHROMIUM_PATH = process.env.WIRECHAT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
