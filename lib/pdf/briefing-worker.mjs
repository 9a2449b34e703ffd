// Entry of the briefing render worker (see render-pool.ts). tsx's ESM loader is registered here, in the worker, so the
// TypeScript layout code is loaded as it is in tests and scripts, outside the Next.js bundle.
import { register } from 'tsx/esm/api';

register();
await import('./briefing-worker.ts');
