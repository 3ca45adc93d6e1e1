import { ConfigError } from './config';
import { createLogger } from './logging';

/** Runs an entry point; a failure is one JSON line (a configuration problem names each variable), then exit 1. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    const logger = createLogger(name);
    if (err instanceof ConfigError)
      logger.fatal({ problems: err.problems }, 'invalid configuration (see .env.example)');
    else logger.fatal({ err }, `${name} failed`);
    process.exit(1);
  });
}
