import sharp from 'sharp';
import { InvalidPhotoError } from './photo-search-port';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The type by magic bytes (never by name or header): JPEG, PNG or WebP, else null. */
export function sniffPhotoType(bytes: Buffer): PhotoType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  return null;
}

/** Refuses, with a reason, anything but a decodable JPEG/PNG/WebP of at most 10 MB. */
export async function checkPhoto(bytes: Buffer | undefined, maxBytes = MAX_PHOTO_BYTES): Promise<PhotoType> {
  if (!bytes?.length) throw new InvalidPhotoError('photo_missing', 'send the image in the multipart field "photo"');
  if (bytes.length > maxBytes)
    throw new InvalidPhotoError(
      'photo_too_large',
      `the photo is ${bytes.length} bytes; at most ${maxBytes} are accepted`,
    );
  const type = sniffPhotoType(bytes);
  if (!type) throw new InvalidPhotoError('photo_type', 'only JPEG, PNG and WebP photos are accepted');
  try {
    const meta = await sharp(bytes, { failOn: 'error' }).metadata();
    if (!meta.width || !meta.height || meta.width < 16 || meta.height < 16) throw new Error('too small');
    // A full decode (to a tiny size) catches truncated and damaged data that the header alone hides.
    await sharp(bytes, { failOn: 'error' }).resize(32, 32, { fit: 'fill' }).raw().toBuffer();
  } catch (err) {
    throw new InvalidPhotoError('photo_corrupt', `the ${type} cannot be decoded: ${(err as Error).message}`);
  }
  return type;
}
