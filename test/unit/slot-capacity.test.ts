import { loadConfig } from '../../common/config';
import { configuredCapacity, parseSlotCapacity } from '../../common/slot-capacity';

const required = {
  DATABASE_URL: 'postgresql://127.0.0.1:5432/cvety',
  PRODUCTION_API_TOKEN: 'fixture-production-token',
  WEBHOOK_SECRET: 'fixture-webhook-secret',
  KASPI_CALLBACK_SECRET: 'fixture-kaspi-secret-0',
  TELEGRAM_BOT_TOKEN: '123456:fixture-telegram-token-abc',
  S3_ACCESS_KEY_ID: 'fixture',
  S3_SECRET_ACCESS_KEY: 'fixture',
  PAYLOAD_KEYS: 'k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  PHONE_HASH_KEY: 'fixture-phone-hash-key',
};

// 2026-12-11 is a Friday, 2026-12-12 a Saturday, 2026-12-14 a Monday.
describe('SLOT_CAPACITY', () => {
  const rules = parseSlotCapacity('10, sat|sun=15, fri 18:00-20:00=4, 20:00-22:00=2');

  test('the most specific rule wins: weekday and slot, slot, weekday, default', () => {
    expect(configuredCapacity(rules, '2026-12-11', '18:00-20:00')).toBe(4);
    expect(configuredCapacity(rules, '2026-12-11', '20:00-22:00')).toBe(2);
    expect(configuredCapacity(rules, '2026-12-12', '10:00-12:00')).toBe(15);
    expect(configuredCapacity(rules, '2026-12-14', '10:00-12:00')).toBe(10);
    expect(configuredCapacity(rules, '2026-12-11', '10:00-12:00')).toBe(10);
  });

  test('a slot can be closed', () => {
    expect(configuredCapacity(parseSlotCapacity('5, sun=0'), '2026-12-13', '12:00-14:00')).toBe(0);
  });

  test.each([
    ['sat=15', /no default/],
    ['10, funday=3', /cannot read "funday=3"/],
    ['10, fri 18:00=4', /cannot read "fri 18:00=4"/],
    ['10, =4', /cannot read "=4"/],
    ['ten', /cannot read "ten"/],
  ])('%s is refused with the part named', (text, message) => {
    expect(() => parseSlotCapacity(text)).toThrow(message);
  });

  test('the configuration defaults to 10 places and stops at start-up on a bad value', () => {
    expect(configuredCapacity(loadConfig(required).SLOT_CAPACITY, '2026-12-12', '10:00-12:00')).toBe(10);
    expect(() => loadConfig({ ...required, SLOT_CAPACITY: '10, sat=many' })).toThrow(
      /SLOT_CAPACITY is malformed: cannot read "sat=many"/,
    );
  });
});
