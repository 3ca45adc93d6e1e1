import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api } from 'grammy';
import { telegramClientOptions } from '../../common/telegram-client';

/** A Bot API answering getMe that closes idle kept-alive connections after 2 s (and says so in Keep-Alive). */
async function botApiServer() {
  let connections = 0;
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: 'Цветы.kz', username: 'cvety' } }));
  });
  server.keepAliveTimeout = 2_000;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  };
}

const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Telegram client connections', () => {
  it('drops an idle connection before the server may close it, so no message goes out on a closing socket', async () => {
    const server = await botApiServer();
    try {
      const api = new Api('123:test-token', telegramClientOptions(server.url));
      await api.getMe();
      await idle(1_300); // past the server's hint less a second, short of its 2 s
      await api.getMe();
      expect(server.connections()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it("grammY's own agent keeps that connection into the server's closing window (what the options above change)", async () => {
    const server = await botApiServer();
    try {
      const api = new Api('123:test-token', { apiRoot: server.url });
      await api.getMe();
      await idle(1_300);
      await api.getMe();
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
