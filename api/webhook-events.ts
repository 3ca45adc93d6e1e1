import type { PrismaClient } from '../db/client';

/**
 * Records an incoming webhook once and runs `apply` until it has succeeded once: a repeat of an
 * applied event answers `duplicate` and changes nothing.
 */
export async function applyOnce(
  prisma: PrismaClient,
  event: { source: string; eventKey: string; payload: object },
  apply: () => Promise<void>,
): Promise<'applied' | 'duplicate'> {
  const row = await prisma.webhookEvent.upsert({
    where: { source_eventKey: { source: event.source, eventKey: event.eventKey } },
    update: {},
    create: { source: event.source, eventKey: event.eventKey, payload: event.payload },
  });
  if (row.appliedAt) return 'duplicate';
  await apply();
  await prisma.webhookEvent.update({ where: { id: row.id }, data: { appliedAt: new Date() } });
  return 'applied';
}
