/** Stops the embedded PostgreSQL that global-setup.ts may have started. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.cvetyTestPostgres?.stop();
  globalThis.cvetyTestPostgres = undefined;
}
