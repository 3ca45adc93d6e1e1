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
