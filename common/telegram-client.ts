import http from 'node:http';
import https from 'node:https';
import type { ApiClientOptions } from 'grammy';

/**
 * Our side closes an idle kept-alive connection first (after 30 s, well before the Bot API's front server does),
 * so a message never goes out on a socket the server is closing at that moment: that race ends in a network
 * error after which nobody knows whether the customer saw the message.
 */
const IDLE_SOCKET_MS = 30_000;

export function telegramClientOptions(apiRoot: string): ApiClientOptions {
  const options = { keepAlive: true, timeout: IDLE_SOCKET_MS };
  const agent = apiRoot.startsWith('https:') ? new https.Agent(options) : new http.Agent(options);
  return { apiRoot, baseFetchConfig: { agent, compress: true } };
}
