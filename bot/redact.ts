import { inspect } from 'node:util';

/** Bot API URLs carry the token (`/bot<token>/method`, `/file/bot<token>/...`): never let one reach a log line. */
const TOKEN_IN_URL = /bot\d+:[\w-]+/g;

export const redactToken = (text: string): string => text.replace(TOKEN_IN_URL, 'bot<token>');

/** An error (grammY's carry the request URL deep inside) as one log-safe string. */
export const describeError = (error: unknown): string =>
  redactToken(inspect(error, { depth: 5, breakLength: Infinity }));
