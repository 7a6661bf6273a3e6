// Renderer entry: mount <wc-app>, create the store on top of whichever API this page has
// (Electron preload or the local browser host), and start it.
import './components/app/app.ts';
import { getApi } from './api/index.ts';
import { Store } from './state/store.ts';

async function boot(): Promise<void> {
  const app = document.querySelector('wc-app') ?? document.body.appendChild(document.createElement('wc-app'));
  try {
    const store = new Store(await getApi());
    app.store = store;
    await store.start();
  } catch (e) {
    app.fatal = `Wirechat could not start: ${(e as Error).message ?? String(e)}`;
  }
}

void boot();
