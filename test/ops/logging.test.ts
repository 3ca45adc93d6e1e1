import { Writable } from 'node:stream';
import { createLogger, sdkLogger } from '../../common/logging';

/** Captures every JSON line a logger writes. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  let raw = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString();
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, raw: () => raw, logger: createLogger('test', { level: 'debug', destination }) };
}

const PHONE = '+77015211545';
const ADDRESS = 'Астана, ул. Кенесары 40, кв 5';
const BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

describe('structured logs', () => {
  it('are one JSON object per line, named by process, with ISO time and a level name', () => {
    const { lines, logger } = capture();
    logger.info({ orderCount: 2 }, 'hello');
    expect(lines[0]).toMatchObject({ level: 'info', process: 'test', msg: 'hello', orderCount: 2 });
    expect(new Date(lines[0].time as string).toISOString()).toBe(lines[0].time);
  });

  it('keep tokens, phones and addresses out, in fields at any depth up to three and in free text', () => {
    const { lines, raw, logger } = capture();
    logger.info(
      {
        token: 's3cr3t-token-value',
        headers: { authorization: 'Bearer abcdefghijk', 'x-webhook-secret': 'webhook-secret-value' },
        customer: { phone: PHONE, name: 'Айгуль' },
        order: { delivery: { address: ADDRESS }, recipient: { phone: '+77011234567' } },
        cardText: 'С днём рождения, Мария!',
      },
      `calling ${PHONE} and 8 701 123 45 67 with ${BOT_TOKEN}, Authorization: Bearer abc.def.ghi`,
    );
    const text = raw();
    for (const secret of [
      PHONE,
      '+77011234567',
      '8 701 123 45 67',
      ADDRESS,
      BOT_TOKEN,
      's3cr3t-token-value',
      'abcdefghijk',
      'abc.def.ghi',
      'webhook-secret-value',
      'Мария',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      token: '[redacted]',
      customer: { phone: '[redacted]', name: 'Айгуль' },
      order: { delivery: { address: '[redacted]' } },
      msg: 'calling [phone] and [phone] with [token], Authorization: Bearer [token]',
    });
  });

  it('leave ids, amounts and dates as they are', () => {
    const { lines, logger } = capture();
    logger.info({ productId: 697695, totalKopecks: 1_250_000, date: '2026-12-01' }, 'order 20261201-77 priced');
    expect(lines[0]).toMatchObject({ productId: 697695, totalKopecks: 1_250_000, msg: 'order 20261201-77 priced' });
  });
});

describe("the Temporal SDK's logger", () => {
  it('names the workflow id, run id, tracking id and activity type of an activity line', () => {
    const { lines, logger } = capture();
    sdkLogger(logger).warn('CRM push failed', {
      sdkComponent: 'activity',
      activityType: 'pushOrderToCrm',
      activityId: '7',
      workflowId: 'order-20261201-0042',
      workflowRunId: 'run-1',
      workflowType: 'orderWorkflow',
      attempt: 3,
    });
    expect(lines[0]).toMatchObject({
      level: 'warn',
      msg: 'CRM push failed',
      workflowId: 'order-20261201-0042',
      runId: 'run-1',
      trackingId: '20261201-0042',
      activityType: 'pushOrderToCrm',
      attempt: 3,
    });
    expect(lines[0]).not.toHaveProperty('workflowRunId');
  });

  it('names the workflow id and run id of a workflow line, and passes every SDK level', () => {
    const { lines, logger } = capture();
    const sdk = sdkLogger(logger);
    sdk.info('catalog sync report', { sdkComponent: 'workflow', workflowId: 'catalog-sync', runId: 'run-2' });
    sdk.log('ERROR', 'failed', {});
    sdk.debug('debugging');
    expect(lines[0]).toMatchObject({ workflowId: 'catalog-sync', runId: 'run-2' });
    expect(lines[0]).not.toHaveProperty('trackingId');
    expect(lines.map((line) => line.level)).toEqual(['info', 'error', 'debug']);
  });
});
