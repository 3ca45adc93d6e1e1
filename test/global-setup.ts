import { chooseTestPostgres, type TestPostgres } from './support/test-postgres';

declare global {
  // Set here, read by global-teardown.ts (jest runs both in its main process).
  var cvetyTestPostgres: TestPostgres | undefined;
}

/** Picks the PostgreSQL server for the whole run; workers inherit TEST_PG_ADMIN_URL. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const server = await chooseTestPostgres();
  globalThis.cvetyTestPostgres = server;
  process.env.TEST_PG_ADMIN_URL = server.adminUrl;
  if (server.source === 'embedded') console.log(`\nembedded PostgreSQL for tests ready in ${Date.now() - started} ms`);
}
