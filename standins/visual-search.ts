import { createHash } from 'node:crypto';
import type http from 'node:http';
import sharp from 'sharp';
import { listen, type ListeningServer } from './server';

/**
 * Stand-in of the external visual search service (../shared/visual-search.md, "Production"):
 * - `POST /index?productId=N&photoKey=K` with the photo bytes as the body (Content-Type image/*) → 204;
 * - `DELETE /index/:productId` → 204;
 * - `POST /search?topK=N` with the photo bytes → `{"exact":[{productId, photoKey, similarity}], "similar":[...]}`,
 *   exact ≥ 0.85, similar 0.70–0.85.
 * Its "vision" is deliberately simple: identical bytes are exact; otherwise an 8×8 colour thumbnail's cosine.
 * `GET /__control/index` lists what is indexed; `POST /__control/down` `{"down":true}` makes every call 503.
 */
export interface VisualSearchStandin extends ListeningServer {
  indexed(): { productId: number; photoKey: string }[];
}

type Entry = { productId: number; photoKey: string; hash: string; thumb: number[] };

const hashOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function thumbOf(bytes: Buffer): Promise<number[]> {
  const raw = await sharp(bytes).removeAlpha().resize(8, 8, { fit: 'fill' }).raw().toBuffer();
  const v = [...raw].map((x) => x / 255 - 0.5);
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function readBody(req: http.IncomingMessage, limit = 12 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) reject(new Error('too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function createVisualSearchStandin(port = 0): Promise<VisualSearchStandin> {
  const entries: Entry[] = [];
  let down = false;
  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://standin');
      if (url.pathname === '/__control/index')
        return send(
          res,
          200,
          entries.map(({ productId, photoKey }) => ({ productId, photoKey })),
        );
      if (url.pathname === '/__control/down' && req.method === 'POST') {
        down = Boolean(JSON.parse((await readBody(req)).toString() || '{}').down);
        return send(res, 200, { down });
      }
      if (down) return send(res, 503, { error: 'unavailable' });
      if (req.method === 'POST' && url.pathname === '/index') {
        const productId = Number(url.searchParams.get('productId'));
        const photoKey = url.searchParams.get('photoKey') ?? '';
        const bytes = await readBody(req);
        if (!Number.isInteger(productId) || !photoKey || !bytes.length)
          return send(res, 400, { error: 'productId, photoKey and a body are required' });
        const entry = { productId, photoKey, hash: hashOf(bytes), thumb: await thumbOf(bytes) };
        const at = entries.findIndex((e) => e.productId === productId && e.photoKey === photoKey);
        if (at >= 0) entries[at] = entry;
        else entries.push(entry);
        return send(res, 204);
      }
      const removal = /^\/index\/(\d+)$/.exec(url.pathname);
      if (req.method === 'DELETE' && removal) {
        for (let i = entries.length - 1; i >= 0; i--)
          if (entries[i].productId === Number(removal[1])) entries.splice(i, 1);
        return send(res, 204);
      }
      if (req.method === 'POST' && url.pathname === '/search') {
        const bytes = await readBody(req);
        const topK = Math.min(100, Number(url.searchParams.get('topK') ?? 20) || 20);
        const hash = hashOf(bytes);
        const thumb = await thumbOf(bytes).catch(() => null);
        if (!thumb) return send(res, 422, { error: 'not an image' });
        const scored = entries
          .map((e) => ({
            productId: e.productId,
            photoKey: e.photoKey,
            similarity: e.hash === hash ? 1 : Math.max(0, e.thumb.reduce((s, x, i) => s + x * thumb[i], 0) * 0.84),
          }))
          .sort((a, b) => b.similarity - a.similarity)
          .slice(0, topK);
        return send(res, 200, {
          exact: scored.filter((s) => s.similarity >= 0.85),
          similar: scored.filter((s) => s.similarity >= 0.7 && s.similarity < 0.85),
        });
      }
      send(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    } catch (err) {
      send(res, 500, { error: (err as Error).message });
    }
  };
  const server = await listen((req, res) => void handle(req, res), port);
  return { ...server, indexed: () => entries.map(({ productId, photoKey }) => ({ productId, photoKey })) };
}
