// The worker's entry (`node <flags> workers/launch.cjs`). It registers tsx's CommonJS hooks here, for this thread
// only, instead of `node --import tsx`: that flag is inherited by the SDK's workflow threads, and it starts tsx's
// ESM loader thread besides; the workflow bundle is plain JavaScript and our code is CommonJS (bench/README.md "Open
// orders": 26 MB less at rest).
require('tsx/cjs/api').register();
require('./main.ts');
