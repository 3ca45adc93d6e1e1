import type { Logger } from '../common/logging';
import type { StorageAdapter } from 'grammy';
import type { Prisma, PrismaClient } from '../db/client';

/**
 * grammY storage over the `BotSession` table: sessions and conversation state live in PostgreSQL,
 * so a restarted bot carries on where the customer left off. `prefix` keeps the two kinds apart.
 */
export class PrismaStorage<T> implements StorageAdapter<T> {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly prefix: string,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const row = await this.prisma.botSession.findUnique({ where: { key: this.prefix + key } });
    return row ? (row.value as T) : undefined;
  }

  async write(key: string, value: T): Promise<void> {
    const json = value as Prisma.InputJsonValue;
    await this.prisma.botSession.upsert({
      where: { key: this.prefix + key },
      create: { key: this.prefix + key, value: json },
      update: { value: json },
    });
  }

  async delete(key: string): Promise<void> {
    await this.prisma.botSession.deleteMany({ where: { key: this.prefix + key } });
  }
}

/**
 * Deletes what the bot keeps about people once untouched for long enough: sessions (language, last search)
 * after `sessionMs`, unfinished checkouts (names, phones, addresses) after `checkoutMs`.
 */
export async function pruneBotSessions(
  prisma: PrismaClient,
  retention: { sessionMs: number; checkoutMs: number },
  now = new Date(),
): Promise<number> {
  const before = (ms: number) => ({ lt: new Date(now.getTime() - ms) });
  const { count } = await prisma.botSession.deleteMany({
    where: {
      OR: [
        { key: { startsWith: 'session:' }, updatedAt: before(retention.sessionMs) },
        { NOT: { key: { startsWith: 'session:' } }, updatedAt: before(retention.checkoutMs) },
      ],
    },
  });
  return count;
}

/** Prunes now and then every hour, for as long as the bot runs; returns the stop function. */
export function schedulePruning(
  prisma: PrismaClient,
  retention: { sessionMs: number; checkoutMs: number },
  logger: Logger,
) {
  const prune = () =>
    void pruneBotSessions(prisma, retention).catch((err: Error) =>
      logger.warn({ error: err.message }, 'bot: pruning sessions failed'),
    );
  prune();
  const timer = setInterval(prune, 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
