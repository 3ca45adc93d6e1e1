import got from 'got';
import type { OrderView } from '../../common/order';
import { orderWorkflowId } from '../../common/contract';
import { shopInstant } from '../../common/shop-time';
import { shopDate } from '../support/dates';
import { Journey } from '../support/journey';
import { SLOW_PACE, statusIs, useOrderSystem } from '../support/order-system';
import type { TestSystem } from '../support/system';

/**
 * Issue 15, items 1 and 3 on the real parts: the florist's photo waits for the customer's answer (or its timeout)
 * before the courier leaves, the morning reminder goes at 09:00 shop time, and the delivered order waits for its
 * stars. The CRM is polled twice a day here: webhooks carry the moves, and skipping days costs few timer fires.
 */
const DAY = {
  approvalTimeoutMs: 3_600_000,
  ratingTimeoutMs: 3 * 86_400_000,
  ratingCommentMs: 30 * 60_000,
  reminderAt: '09:00',
  shopTimeZone: 'Asia/Almaty',
};
let system: TestSystem;
const current = useOrderSystem({ deliveryDay: DAY, timings: { ...SLOW_PACE, crmPollMs: 12 * 3_600_000 } });
beforeAll(() => {
  system = current();
});

// Photos Telegram (its stand-in) can fetch: the catalog's own, on the production stand-in.
let PHOTO_1 = '';
let PHOTO_2 = '';
beforeAll(() => {
  [PHOTO_1, PHOTO_2] = system.production.products().map((p) => p.image!);
});

async function paidAndAccepted(journey: Journey, date = shopDate(2)): Promise<void> {
  await journey.place({ delivery: { ...journey.request().delivery, date } });
  await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
  await journey.pay();
  await journey.until(statusIs('paid'), 'paid');
  await journey.shop('AP');
  await journey.until(statusIs('accepted'), 'accepted');
}

const awaitingPhoto = (round: number) => (v: OrderView) =>
  v.approval?.round === round && v.approval.state === 'awaiting';
const crmOrder = (journey: Journey) => journey.crmOrders()[0];
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (err: Error & { cause?: { type?: string } }) => err.cause?.type ?? err.message,
  );
const customerWait = async (journey: Journey) =>
  (await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).describe()).searchAttributes
    .CustomerWait?.[0];

/** The message after the photo's timeout (ru, kk). */
const toldNoAnswer = (t: string) => t.startsWith('Мы не дождались вашего ответа по фото букета');
const toldNoAnswerKk = (t: string) => t.startsWith('Гүл шоғының суреті бойынша сізден жауап алмадық');

/** What the Web UI shows as the order's current details. */
const currentDetails = async (journey: Journey) =>
  (
    await system.client.workflow
      .getHandle(orderWorkflowId(journey.trackingId))
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata')
  ).currentDetails;

test('the morning reminder goes at 09:00 shop time on the delivery date, days ahead, with the slot and the recipient', async () => {
  const journey = new Journey(system);
  // First in the file: the server's clock is still today's (the pricing checks the date against the real one).
  const date = shopDate(3);
  await paidAndAccepted(journey, date);
  const due = shopInstant(date, '09:00', 'Asia/Almaty').getTime();
  const reminders = () => journey.texts().filter((t) => /Сегодня доставим/.test(t));
  // Up to an hour before: nothing.
  await system.env.sleep(due - (await system.env.currentTimeMs()) - 3_600_000);
  expect(reminders()).toHaveLength(0);
  await journey.until(() => reminders().length > 0, 'reminded', '30m', 6);
  expect(reminders()[0]).toContain('14:00-16:00');
  expect(reminders()[0]).toContain('Мария');

  // The notification activity was scheduled at the reminder's instant of the workflow's clock.
  const history = await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).fetchHistory();
  const scheduled = history.events!.find(
    (e) =>
      e.activityTaskScheduledEventAttributes?.activityType?.name === 'notifyCustomer' &&
      Buffer.from(e.activityTaskScheduledEventAttributes.input!.payloads![0].data!)
        .toString()
        .includes('delivery_reminder'),
  )!;
  const at = Number(scheduled.eventTime!.seconds) * 1000;
  expect(Math.abs(at - due)).toBeLessThan(60_000);
});

test('the photo is approved after a change request; delivery waits for it; the rating is kept in the DB and the CRM', async () => {
  const journey = new Journey(system);
  await paidAndAccepted(journey);
  await journey.shop('CO', PHOTO_1);
  await journey.until(awaitingPhoto(1), 'asked about photo 1');
  await journey.until(() => journey.messages().some((m) => m.method === 'sendPhoto'), 'photo sent');
  const asked = journey.messages().find((m) => m.method === 'sendPhoto')!;
  expect(asked.payload.photo).toBe(PHOTO_1);
  expect(JSON.stringify(asked.payload.reply_markup)).toContain(`apr:y:${journey.trackingId}:1`);
  expect(await customerWait(journey)).toBe('approval');
  expect(await currentDetails(journey)).toMatch(/Waiting for the customer's answer to photo 1 until /);

  // The florists' screen refuses to send the courier before the answer.
  await expect(journey.shop('DE')).rejects.toThrow(/409/);

  // Only the order's Telegram user, only for the current photo, and a change needs words.
  const answer = { telegramUserId: journey.chatId, round: 1, decision: 'change' as const, comment: 'Без лилий' };
  expect(await refusal(system.orders.answerApproval(journey.trackingId, { ...answer, telegramUserId: 1 }))).toBe(
    'NotYourOrder',
  );
  expect(await refusal(system.orders.answerApproval(journey.trackingId, { ...answer, round: 2 }))).toBe('StalePhoto');
  expect(await refusal(system.orders.answerApproval(journey.trackingId, { ...answer, comment: ' ' }))).toBe(
    'InvalidAnswer',
  );
  const changed = await system.orders.answerApproval(journey.trackingId, answer);
  expect(changed.approval).toMatchObject({ round: 1, state: 'change_requested', comment: 'Без лилий' });
  await journey.until(
    () => !!crmOrder(journey).approvals?.some((a) => a.decision === 'change_requested'),
    'change request in the CRM',
  );
  expect(crmOrder(journey).approvals!.at(-1)).toMatchObject({ comment: 'Без лилий', photoUrl: PHOTO_1 });

  // The florist's new photo: a second "assembled" webhook, not a duplicate; the customer is asked again.
  await journey.shop('CO', PHOTO_2);
  await journey.until(awaitingPhoto(2), 'asked about photo 2');
  await system.orders.answerApproval(journey.trackingId, { ...answer, round: 2, decision: 'approve' });
  await journey.until((v) => v.approval?.state === 'approved', 'approved');
  await journey.until(() => crmOrder(journey).approvals?.at(-1)?.decision === 'approved', 'approved in the CRM');
  // The second photo's message is sent by its own activity: wait for it rather than race it.
  const photosSent = () =>
    journey
      .messages()
      .filter((m) => m.method === 'sendPhoto')
      .map((m) => m.payload.photo);
  await journey.until(() => photosSent().length >= 2, 'photo 2 sent');
  expect(photosSent()).toEqual([PHOTO_1, PHOTO_2]);

  await journey.shop('DE');
  await journey.until(statusIs('in_delivery'), 'in delivery');
  await journey.shop('F');
  await journey.until(() => journey.texts().some((t) => /Оцените/.test(t)), 'asked for stars');
  expect(await customerWait(journey)).toBe('rating');
  expect(await currentDetails(journey)).toMatch(/waiting for the customer's rating/);
  expect(await refusal(system.orders.rate(journey.trackingId, { telegramUserId: journey.chatId, stars: 6 }))).toBe(
    'InvalidAnswer',
  );
  expect(await refusal(system.orders.rate(journey.trackingId, { telegramUserId: 1, stars: 5 }))).toBe('NotYourOrder');
  expect(await refusal(system.orders.rate(journey.trackingId, { telegramUserId: journey.chatId, comment: 'x' }))).toBe(
    'InvalidAnswer', // the stars come first
  );
  await system.orders.rate(journey.trackingId, { telegramUserId: journey.chatId, stars: 5 });
  await system.orders.rate(journey.trackingId, { telegramUserId: journey.chatId, comment: 'Красиво!' });
  const done = (await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).result()) as OrderView;
  expect(done.rating).toMatchObject({ stars: 5, comment: 'Красиво!' });
  const row = await system.db.prisma.order.findUniqueOrThrow({ where: { trackingId: journey.trackingId } });
  expect(row).toMatchObject({ ratingStars: 5, ratingComment: 'Красиво!' });
  expect(row.ratedAt).toBeInstanceOf(Date);
  expect(crmOrder(journey).rating).toMatchObject({ stars: 5, comment: 'Красиво!' });
});

test('unanswered, the photo is approved after the timeout; without stars the order ends after the rating timeout', async () => {
  const journey = new Journey(system);
  await paidAndAccepted(journey);
  await journey.shop('CO', PHOTO_1);
  await journey.until(awaitingPhoto(1), 'asked');
  // The CRM says "in delivery" anyway (moved by hand): the customer hears nothing of the courier before the timeout.
  await got.post(`${system.production.url}/__control/orders/${crmOrder(journey).orderId}/webhook`, {
    json: { status: 'DE' },
  });
  await system.env.sleep('30m');
  expect(journey.texts().some((t) => /Курьер уже везёт/.test(t))).toBe(false);
  expect(journey.texts().filter(toldNoAnswer)).toHaveLength(0);
  expect((await journey.view()).status).toBe('assembled');
  await journey.until((v) => v.approval?.state === 'timed_out', 'timed out', '10m', 12);
  // Approved by the timeout, the held move is applied and told: first why, then the courier.
  await journey.until(statusIs('in_delivery'), 'in delivery caught up');
  await journey.until(() => journey.texts().some((t) => /Курьер уже везёт/.test(t)), 'told of the courier');
  const texts = journey.texts();
  expect(texts.filter(toldNoAnswer)).toEqual([
    `Мы не дождались вашего ответа по фото букета, поэтому передаём заказ ${journey.trackingId} курьеру таким, как на фото. Спасибо!`,
  ]);
  expect(texts.findIndex(toldNoAnswer)).toBeLessThan(texts.findIndex((t) => /Курьер уже везёт/.test(t)));
  expect(
    await refusal(
      system.orders.answerApproval(journey.trackingId, {
        telegramUserId: journey.chatId,
        round: 1,
        decision: 'approve',
      }),
    ),
  ).toBe('NotAwaitingApproval');
  await journey.until(() => crmOrder(journey).approvals?.at(-1)?.decision === 'timed_out', 'timed out in the CRM');
  expect(await customerWait(journey)).toBe('none');

  await journey.shop('F');
  await journey.until(statusIs('delivered'), 'delivered');
  const handle = system.client.workflow.getHandle(orderWorkflowId(journey.trackingId));
  await system.env.sleep('2d');
  expect((await handle.describe()).status.name).toBe('RUNNING');
  await system.env.sleep('1d');
  const done = (await handle.result()) as OrderView;
  expect(journey.texts().filter(toldNoAnswer)).toHaveLength(1); // once, whatever came after
  expect(done.rating).toBeUndefined();
  expect(done.history.map((h) => h.status)).toContain('delivered');
  const row = await system.db.prisma.order.findUniqueOrThrow({ where: { trackingId: journey.trackingId } });
  expect(row.ratingStars).toBeNull();
  expect(crmOrder(journey).rating).toBeUndefined();
});

test('unanswered in Kazakh: the customer is told once, in Kazakh, after the timeout', async () => {
  const journey = new Journey(system);
  const { customer } = journey.request();
  await journey.place({ customer: { ...customer, language: 'kk' } });
  await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
  await journey.pay();
  await journey.until(statusIs('paid'), 'paid');
  await journey.shop('CO', PHOTO_1);
  await journey.until(awaitingPhoto(1), 'asked');
  await system.env.sleep('50m');
  expect(journey.texts().filter(toldNoAnswerKk)).toHaveLength(0);
  await journey.until(() => journey.texts().some(toldNoAnswerKk), 'told in Kazakh', '10m', 12);
  await journey.shop('DE');
  await journey.until(statusIs('in_delivery'), 'in delivery');
  const texts = journey.texts();
  expect(texts.filter(toldNoAnswerKk)).toEqual([
    `Гүл шоғының суреті бойынша сізден жауап алмадық, сондықтан ${journey.trackingId} тапсырысын курьерге суреттегідей күйінде тапсырамыз. Рақмет!`,
  ]);
  expect(texts.some(toldNoAnswer)).toBe(false);
});

test('an order without a Telegram chat skips the approval and the rating', async () => {
  const journey = new Journey(system);
  const request = journey.request();
  await journey.place({ customer: { phone: request.customer.phone, name: 'Айгуль' } });
  await journey.until(statusIs('awaiting_payment'), 'awaiting payment');
  await journey.pay();
  await journey.until(statusIs('paid'), 'paid');
  await journey.shop('CO', PHOTO_1);
  await journey.until(statusIs('assembled'), 'assembled');
  await journey.shop('DE');
  await journey.shop('F');
  const done = (await system.client.workflow.getHandle(orderWorkflowId(journey.trackingId)).result()) as OrderView;
  expect(done.approval).toBeUndefined();
  expect(done.status).toBe('delivered');
});
