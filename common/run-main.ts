import { ConfigError } from './config';

/** Runs an entry point; a configuration problem is printed as the plain list it is, then exit 1. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) console.error(`${name}: ${err.message}`);
    else console.error(`${name} failed:`, err);
    process.exit(1);
  });
}
