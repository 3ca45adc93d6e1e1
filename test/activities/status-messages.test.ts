import { createStatusMessageActivities } from '../../activities/status-messages';
import type { NotifyRequest } from '../../activities/notifications';
import type { RecordStep } from '../../activities/order-records';

/** How the two halves' outcomes combine; each half has its own tests against PostgreSQL and the Telegram stand-in. */
const message = { chatId: 1, language: 'ru', event: 'paid', order: {} } as unknown as NotifyRequest;
const steps: RecordStep[] = [{ kind: 'status', status: 'paid', at: new Date('2026-12-01T10:00:00Z') }];

function withHalves(
  recordSteps: () => Promise<{ refused: { step: number; reason: string }[] }>,
  sent: () => Promise<{ outcome: 'sent' | 'in_doubt' }>,
) {
  const calls: string[] = [];
  const activities = createStatusMessageActivities({
    recordSteps: async () => (calls.push('steps'), recordSteps()),
    notifyCustomer: async () => (calls.push('message'), sent()),
  });
  return { calls, notifyWithSteps: () => activities.notifyWithSteps({ ...message, trackingId: 'CVTEST', steps }) };
}

test('steps that fail while the message settles come back unwritten, with the message outcome a retry would lose', async () => {
  const { notifyWithSteps } = withHalves(
    () => Promise.reject(new Error('connection lost')),
    async () => ({ outcome: 'in_doubt' }),
  );
  await expect(notifyWithSteps()).resolves.toEqual({ outcome: 'in_doubt', refused: [], unwritten: true });
});

test('a failing message is thrown once its steps are written; a refused step is returned', async () => {
  let written = false;
  const failing = withHalves(
    async () => {
      await new Promise((r) => setTimeout(r, 20));
      written = true;
      return { refused: [] };
    },
    () => Promise.reject(new Error('Telegram refused')),
  );
  await expect(failing.notifyWithSteps()).rejects.toThrow('Telegram refused');
  expect(written).toBe(true);

  const refusing = withHalves(
    async () => ({ refused: [{ step: 0, reason: 'P2002' }] }),
    async () => ({ outcome: 'sent' }),
  );
  await expect(refusing.notifyWithSteps()).resolves.toEqual({
    outcome: 'sent',
    refused: [{ step: 0, reason: 'P2002' }],
    unwritten: false,
  });
  expect(refusing.calls.sort()).toEqual(['message', 'steps']);
});
