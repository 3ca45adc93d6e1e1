import { startEmbeddedPostgres } from '../../db/embedded';

/** Embedded PostgreSQL as a resource of the supervisor, with its binaries from EMBEDDED_PG_BINARIES if set. */
export async function startLocalPostgres(
  dataDir: string,
  port: number,
  log: (line: string) => void,
): Promise<{ name: string; url: string; stop(): Promise<void> }> {
  const db = await startEmbeddedPostgres({ dataDir, port, binaries: process.env.EMBEDDED_PG_BINARIES || undefined });
  if (db.note) log(`embedded PostgreSQL: ${db.note}`);
  return { name: 'PostgreSQL', url: db.url, stop: () => db.stop() };
}
