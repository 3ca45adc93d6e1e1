import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, orderSettingsFromConfig, parseDuration } from '../../common/config';

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

describe('configuration', () => {
  test('local defaults fill everything that is not a secret', () => {
    const config = loadConfig(required);
    expect(config).toMatchObject({
      API_PORT: 3000,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      PRODUCTION_API_URL: 'http://127.0.0.1:4010/api/v2',
      CITY_ID: 2,
      PAYMENT_DEADLINE: 30 * 60_000,
      PRODUCT_SYNC_EVERY: 6 * 3_600_000,
      SHOP_TIMEZONE: 'Asia/Almaty',
      BOT_MODE: 'polling',
    });
  });

  test('the photo engine port takes no token on loopback and requires one on any other address', () => {
    expect(loadConfig(required)).toMatchObject({ PHOTO_ENGINE_HOST: '127.0.0.1', PHOTO_ENGINE_PORT: 3003 });
    expect(() => loadConfig({ ...required, PHOTO_ENGINE_HOST: '0.0.0.0' })).toThrow('PHOTO_ENGINE_TOKEN is missing');
    const token = 'engine-token-0123456789';
    expect(loadConfig({ ...required, PHOTO_ENGINE_HOST: '0.0.0.0', PHOTO_ENGINE_TOKEN: token })).toMatchObject({
      PHOTO_ENGINE_TOKEN: token,
    });
  });

  test('every missing or malformed variable is named at once', () => {
    let error: unknown;
    try {
      loadConfig({
        ...required,
        DATABASE_URL: 'mysql://x',
        WEBHOOK_SECRET: '',
        API_PORT: 'eighty',
        PAYMENT_DEADLINE: '30 minutes',
        TELEGRAM_BOT_TOKEN: undefined,
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('DATABASE_URL is malformed');
    expect(problems).toContain('WEBHOOK_SECRET is missing');
    expect(problems).toContain('API_PORT is malformed');
    expect(problems).toContain('PAYMENT_DEADLINE is malformed');
    expect(problems).toContain('TELEGRAM_BOT_TOKEN is missing');
    expect((error as ConfigError).problems).toHaveLength(5);
    expect((error as Error).message).toContain('.env.example');
  });

  test('the delivery day: defaults, the order settings, and a malformed reminder time', () => {
    const config = loadConfig(required);
    expect(orderSettingsFromConfig(config).deliveryDay).toEqual({
      approvalTimeoutMs: 3_600_000,
      ratingTimeoutMs: 3 * 86_400_000,
      ratingCommentMs: 30 * 60_000,
      reminderAt: '09:00',
      shopTimeZone: 'Asia/Almaty',
    });
    expect(loadConfig({ ...required, APPROVAL_TIMEOUT: '2h' }).APPROVAL_TIMEOUT).toBe(7_200_000);
    expect(() => loadConfig({ ...required, DELIVERY_REMINDER_AT: '9am' })).toThrow(/DELIVERY_REMINDER_AT is malformed/);
    expect(() => loadConfig({ ...required, RATING_TIMEOUT: 'never' })).toThrow(/RATING_TIMEOUT is malformed/);
  });

  test('a secret shorter than 16 characters is refused', () => {
    expect(() => loadConfig({ ...required, WEBHOOK_SECRET: 'short' })).toThrow(
      /WEBHOOK_SECRET is malformed: at least 16 characters/,
    );
  });

  test('.env.example shows every default as it is: setting its example value changes nothing', () => {
    const example = fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
    const entries = [...example.matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map(([, key, value]) => [key, value] as const);
    const defaults: Record<string, unknown> = loadConfig(required);
    const shown = entries.filter(([key, value]) => value !== '' && defaults[key] !== undefined && !(key in required));
    expect(shown.length).toBeGreaterThan(20);
    const valueOf = (env: Record<string, string>, key: string) =>
      JSON.stringify((loadConfig(env) as Record<string, unknown>)[key]);
    const differing = shown
      .filter(([key, value]) => valueOf({ ...required, [key]: value }, key) !== JSON.stringify(defaults[key]))
      .map(([key, value]) => `${key}=${value} (default ${JSON.stringify(defaults[key])})`);
    expect(differing).toEqual([]);
  });

  test('durations', () => {
    expect(parseDuration('15s')).toBe(15_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('6h')).toBe(21_600_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(() => parseDuration('soon')).toThrow();
  });

  test('poll paces reach the order settings only when set', () => {
    expect(orderSettingsFromConfig(loadConfig(required)).timings).toEqual({});
    const fast = loadConfig({ ...required, KASPI_POLL_EVERY: '1s', CRM_POLL_EVERY: '2s' });
    expect(orderSettingsFromConfig(fast).timings).toEqual({ kaspiFastPollMs: 1_000, crmPollMs: 2_000 });
    expect(() => loadConfig({ ...required, KASPI_LATE_POLL_EVERY: 'often' })).toThrow(
      /KASPI_LATE_POLL_EVERY is malformed/,
    );
  });
});
