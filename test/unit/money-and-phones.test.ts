import { formatTenge, kopecksToTenge, parsePriceToKopecks } from '../../common/money';
import { kaspiPhone, normalizePhone } from '../../common/phone';

describe('prices', () => {
  test.each([
    ['17 820 ₸'],
    ['17\u00a0820 ₸'],
    ['17\u202f820 ₸'],
    ['17\u2009820\u00a0₸'],
    ['17820 ₸'],
    ['17820₸'],
    ['17 820'],
    [' 17 820 ₸ '],
    ['17 820,00 ₸'],
    ['17820.00'],
  ])('%j is 1 782 000 tiyn', (text) => {
    expect(parsePriceToKopecks(text)).toBe(1_782_000);
  });

  test('fractions, numbers and garbage', () => {
    expect(parsePriceToKopecks('7 500,5 ₸')).toBe(750_050);
    expect(parsePriceToKopecks(7500)).toBe(750_000);
    for (const bad of ['', '₸', 'бесплатно', '-100 ₸', '1.234.567']) expect(() => parsePriceToKopecks(bad)).toThrow();
  });

  test('formatting and tenge for Kaspi', () => {
    expect(formatTenge(1_500_000)).toBe('15\u202f000\u00a0₸');
    expect(formatTenge(75_000)).toBe('750\u00a0₸');
    expect(kopecksToTenge(1_750_000)).toBe(17_500);
  });
});

describe('phones', () => {
  test.each([
    ['87015211545', '+77015211545'],
    ['77015211545', '+77015211545'],
    ['+77015211545', '+77015211545'],
    ['7015211545', '+77015211545'],
    ['+7 (701) 521-15-45', '+77015211545'],
    ['8 701 521 15 45', '+77015211545'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  test.each([['12'], ['+87015211545'], ['9701521154599'], ['+1 202 555 0143'], ['телефон']])(
    '%s is refused',
    (input) => {
      expect(normalizePhone(input)).toBeNull();
    },
  );

  test('Kaspi takes the number without the plus', () => {
    expect(kaspiPhone('+77015211545')).toBe('77015211545');
  });
});
