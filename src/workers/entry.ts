// What pool.ts starts as a worker thread: the bundled worker when the build made one (../bundle.ts), else
// worker.ts's module. Either runs the worker as soon as it is loaded.
import { loadBundle } from '../bundle.js';

if (loadBundle('worker') === null) await import('./worker.js');
