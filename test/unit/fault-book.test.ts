import { FaultBook } from '../../standins/faults';

describe('stand-in faults', () => {
  afterEach(() => jest.useRealTimers());

  test('an outage of forMs ends by itself', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const book = new FaultBook(['down', 'error500'], (route, call) => call.startsWith(route));
    book.add({ route: '/', mode: 'down', forMs: 90_000 });
    expect(book.take('/orders/create/')?.mode).toBe('down');
    jest.setSystemTime(1_000_000 + 89_999);
    expect(book.take('/paymentkaspi/status/')?.mode).toBe('down');
    jest.setSystemTime(1_000_000 + 90_000);
    expect(book.take('/orders/create/')).toBeUndefined();
    expect(book.list()).toEqual([]);
  });

  test('a counted fault is not ended by time', () => {
    const book = new FaultBook(['error500'], (route, call) => call.startsWith(route));
    book.add({ route: '/orders/', mode: 'error500', count: 2 });
    expect(book.list()[0]).toMatchObject({ remaining: 2, until: null });
    expect(() => book.add({ route: '/', mode: 'error500', forMs: 0 })).toThrow(/forMs/);
  });
});
