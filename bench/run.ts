/**
 * `npm run bench [scenario...]`: runs every scenario file of bench/ (or those named, e.g. `catalog-sync`), one after
 * the other; each exports `run(): Promise<object>` and its result is printed as one JSON line.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).map((name) => name.replace(/\.ts$/, ''));
  const scenarios = readdirSync(__dirname)
    .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('.d.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .filter((name) => !wanted.length || wanted.includes(name));
  if (wanted.length && scenarios.length !== wanted.length)
    throw new Error(`unknown scenario among: ${wanted.join(', ')}`);
  let failed = false;
  for (const scenario of scenarios) {
    const module = (await import(path.join(__dirname, scenario))) as { run?: () => Promise<object> };
    if (typeof module.run !== 'function') continue;
    try {
      console.log(JSON.stringify({ scenario, ...(await module.run()) }));
    } catch (err) {
      failed = true;
      console.log(JSON.stringify({ scenario, error: (err as Error).message }));
    }
  }
  process.exit(failed ? 1 : 0);
}

void main();
