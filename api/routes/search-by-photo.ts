import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import sharp from 'sharp';
import type { PhotoSearchHistogram } from '../../common/metrics';
import { MAX_PHOTO_BYTES, sniffPhotoType } from '../../search/photo-input';
import { InvalidPhotoError, type PhotoSearch } from '../../search/photo-search-port';
import { PhotoWorkerCrash } from '../../search/local/worker-pool';
import { HttpError } from '../errors';
import { concurrencyLimit } from '../rate-limits';
import { DEFAULT_API_SETTINGS, type ApiSettings } from '../settings';

const STATUS: Record<InvalidPhotoError['code'], number> = {
  photo_missing: 400,
  photo_type: 415,
  photo_too_large: 413,
  photo_corrupt: 422,
};

/**
 * The type (magic bytes) and the pixel count (read from the header, nothing decoded) of an upload, checked
 * before any decoder sees it: a small file can declare a huge image.
 */
async function checkBeforeDecoding(bytes: Buffer | undefined, maxPixels: number): Promise<Buffer> {
  if (!bytes?.length) throw new HttpError(400, 'photo_missing', 'send the image in the multipart field "photo"');
  if (!sniffPhotoType(bytes)) throw new HttpError(415, 'photo_type', 'only JPEG, PNG and WebP photos are accepted');
  let pixels: number;
  try {
    const { width, height, pages } = await sharp(bytes, { limitInputPixels: false }).metadata();
    pixels = (width ?? 0) * (height ?? 0) * (pages ?? 1);
  } catch {
    throw new HttpError(422, 'photo_corrupt', 'the photo cannot be read');
  }
  if (pixels > maxPixels)
    throw new HttpError(413, 'photo_too_large', `the photo has ${pixels} pixels; at most ${maxPixels} are accepted`);
  return bytes;
}

/** `POST /api/v1/products/search-by-photo`: multipart field `photo` (JPEG/PNG/WebP, ≤ 10 MB) → exact/similar bands. */
export function searchByPhotoRoutes({
  photoSearch,
  settings = DEFAULT_API_SETTINGS,
  duration,
}: {
  photoSearch: PhotoSearch;
  /** Latency of answered searches, from the checked photo to the matches. */
  duration?: PhotoSearchHistogram;
  settings?: Pick<ApiSettings, 'photoSearchConcurrency' | 'photoMaxPixels'>;
}): Router {
  const router = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 5, headerPairs: 20 },
  }).single('photo');
  const receive = (req: Request, res: Response, next: NextFunction) =>
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE')
          return next(new HttpError(413, 'photo_too_large', `the photo is larger than ${MAX_PHOTO_BYTES} bytes`));
        return next(
          new HttpError(400, 'invalid_request', `${err.message}: send one image in the multipart field "photo"`),
        );
      }
      next(new HttpError(400, 'invalid_request', 'expected multipart/form-data with the field "photo"'));
    });
  // The slot is taken before the upload is read: a queue of 10 MB bodies is what the bound prevents.
  router.post('/', concurrencyLimit(settings.photoSearchConcurrency, 'photo searches'), receive, async (req, res) => {
    const bytes = await checkBeforeDecoding(req.file?.buffer, settings.photoMaxPixels);
    try {
      const timer = duration?.startTimer({ channel: 'api' });
      const found = await photoSearch.search(bytes);
      timer?.();
      res.json(found);
    } catch (err) {
      if (err instanceof InvalidPhotoError) throw new HttpError(STATUS[err.code], err.code, err.message);
      // The thread that held it died (and was replaced): the photo is the likely cause.
      if (err instanceof PhotoWorkerCrash)
        throw new HttpError(422, 'photo_unprocessable', 'the photo could not be processed');
      throw err;
    }
  });
  return router;
}
