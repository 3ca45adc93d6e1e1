import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { MAX_PHOTO_BYTES } from '../../search/photo-input';
import { InvalidPhotoError, type PhotoSearch } from '../../search/photo-search-port';
import { HttpError } from '../errors';

const STATUS: Record<InvalidPhotoError['code'], number> = {
  photo_missing: 400,
  photo_type: 415,
  photo_too_large: 413,
  photo_corrupt: 422,
};

/** `POST /api/v1/products/search-by-photo`: multipart field `photo` (JPEG/PNG/WebP, ≤ 10 MB) → exact/similar bands. */
export function searchByPhotoRoutes({ photoSearch }: { photoSearch: PhotoSearch }): Router {
  const router = Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_PHOTO_BYTES, files: 1 } }).single(
    'photo',
  );
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
  router.post('/', receive, async (req, res) => {
    try {
      res.json(await photoSearch.search(req.file?.buffer as Buffer));
    } catch (err) {
      if (err instanceof InvalidPhotoError) throw new HttpError(STATUS[err.code], err.code, err.message);
      throw err;
    }
  });
  return router;
}
