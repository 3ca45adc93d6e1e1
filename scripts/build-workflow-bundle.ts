/**
 * Bundles the workflow code ahead of time (`npm run build:workflows`), so a production worker starts without
 * webpack and runs exactly the code that was built and tested. The worker loads it when WORKFLOW_BUNDLE names it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../workers/workflow-bundle';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const { code } = await bundleWorkflowCode(workflowBundleOptions());
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  console.log(JSON.stringify({ bundle: out, bytes: Buffer.byteLength(code) }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
