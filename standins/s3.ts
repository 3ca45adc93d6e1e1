import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { listen } from './server';
// s3rver keeps its keys in a registry of accounts; the configured pair is added to it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
};

/**
 * Local S3-compatible storage (Cloudflare R2 in production) on s3rver: a real S3 API over HTTP, with the
 * bucket created at start and the configured access key accepted. Counts writes so tests can prove
 * that nothing is uploaded twice.
 */
export interface S3StandinOptions {
  port?: number;
  host?: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where objects live; a temporary directory (removed on close) when omitted. */
  directory?: string;
}

export interface S3Standin {
  /** Endpoint, e.g. http://127.0.0.1:4030 (what S3_ENDPOINT points at). */
  url: string;
  /** `${url}/${bucket}`: public base URL of stored objects. */
  publicBaseUrl: string;
  /** Every PUT of an object so far, by key. */
  puts(): Map<string, number>;
  putCount(): number;
  close(): Promise<void>;
}

export async function createS3Standin(opts: S3StandinOptions): Promise<S3Standin> {
  const temporary = !opts.directory;
  // Temporary objects live in memory (tmpfs) where there is one: s3rver writes three files per object.
  const directory =
    opts.directory ?? mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'cvety-s3-'));
  DUMMY_ACCOUNT.createKeyPair(opts.accessKeyId, opts.secretAccessKey);
  const s3 = new S3rver({ silent: true, directory, vhostBuckets: false, configureBuckets: [{ name: opts.bucket }] });
  await s3.configureBuckets();
  const handle = s3.callback();
  const puts = new Map<string, number>();
  const prefix = `/${opts.bucket}/`;
  const listening = await listen(
    (req, res) => {
      const pathname = (req.url ?? '').split('?')[0];
      if (req.method === 'PUT' && pathname.startsWith(prefix)) {
        const key = decodeURIComponent(pathname.slice(prefix.length));
        puts.set(key, (puts.get(key) ?? 0) + 1);
      }
      handle(req, res);
    },
    opts.port ?? 0,
    opts.host ?? '127.0.0.1',
  );
  return {
    url: listening.url,
    publicBaseUrl: `${listening.url}/${opts.bucket}`,
    puts: () => new Map(puts),
    putCount: () => [...puts.values()].reduce((a, b) => a + b, 0),
    close: async () => {
      await listening.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** `npm start`: the stand-in on STANDIN_S3_PORT (4030) with its objects under .data/s3, so they survive restarts. */
export async function startS3StandinFromEnv(env: NodeJS.ProcessEnv): Promise<S3Standin> {
  const s3 = await createS3Standin({
    host: env.STANDIN_HOST || '127.0.0.1',
    port: Number(env.STANDIN_S3_PORT || 4030),
    bucket: env.S3_BUCKET || 'cvety-photos',
    accessKeyId: env.S3_ACCESS_KEY_ID || 'S3RVER',
    secretAccessKey: env.S3_SECRET_ACCESS_KEY || 'S3RVER',
    directory: env.STANDIN_S3_DIR || path.resolve(__dirname, '..', '.data', 's3'),
  });
  console.log(`S3 stand-in: ${s3.url} (public: ${s3.publicBaseUrl})`);
  return s3;
}
