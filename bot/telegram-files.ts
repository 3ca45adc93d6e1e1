import got from 'got';
import type { Api } from 'grammy';
import type { PhotoSize } from 'grammy/types';

const MAX_BYTES = 20 * 1024 * 1024;

/** The largest size Telegram offers of a photo. */
export const largestPhoto = (sizes: PhotoSize[]): PhotoSize =>
  sizes.reduce((best, s) => (s.width * s.height > best.width * best.height ? s : best));

/**
 * Downloads a file the user sent. The file URL contains the bot token, so it stays inside this function:
 * errors are re-thrown without it.
 */
export async function downloadFile(api: Api, apiRoot: string, fileId: string): Promise<Buffer> {
  const file = await api.getFile(fileId);
  if (!file.file_path) throw new Error('Telegram gave no file path');
  if ((file.file_size ?? 0) > MAX_BYTES) throw new Error('the photo is too large');
  try {
    return await got(`${apiRoot.replace(/\/$/, '')}/file/bot${api.token}/${file.file_path}`, {
      timeout: { request: 30_000 },
      retry: { limit: 2 },
    }).buffer();
  } catch (err) {
    const status = (err as { response?: { statusCode?: number } }).response?.statusCode;
    // eslint-disable-next-line preserve-caught-error -- the cause carries the URL, and the URL carries the token
    throw new Error(`could not download the photo (${status ?? (err as Error).name})`);
  }
}
