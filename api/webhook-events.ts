import type { PrismaClient } from '../db/client';

/** An event claimed this long ago and still not applied is taken to have died with its process: it may be claimed again. */
const CLAIM_LEASE_MS = 60_000;

/**
 * Records an incoming webhook once and runs `apply` until it has succeeded once. The event row is claimed
 * atomically (INSERT … ON CONFLICT DO NOTHING), so copies arriving at the same instant apply once and each
 * answer: the first `applied`, the others `duplicate`. A failed `apply` releases the claim for the sender's retry.
 */
export async function applyOnce(
  prisma: PrismaClient,
  event: { source: string; eventKey: string; payload: object },
  apply: () => Promise<void>,
): Promise<'applied' | 'duplicate'> {
  const key = { source: event.source, eventKey: event.eventKey };
  const inserted = await prisma.webhookEvent.createMany({
    data: [{ ...key, payload: event.payload }],
    skipDuplicates: true,
  });
  const claimed =
    inserted.count === 1 ||
    (
      await prisma.webhookEvent.updateMany({
        where: { ...key, appliedAt: null, receivedAt: { lt: new Date(Date.now() - CLAIM_LEASE_MS) } },
        data: { receivedAt: new Date() },
      })
    ).count === 1;
  if (!claimed) return 'duplicate';
  try {
    await apply();
  } catch (err) {
    await prisma.webhookEvent.deleteMany({ where: { ...key, appliedAt: null } }).catch(() => undefined);
    throw err;
  }
  await prisma.webhookEvent.updateMany({ where: key, data: { appliedAt: new Date() } });
  return 'applied';
}
