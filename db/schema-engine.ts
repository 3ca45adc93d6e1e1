import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import type pg from 'pg';
import type { PrismaPg as PrismaPgClass } from '@prisma/adapter-pg';
import type * as AdapterUtils from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { nativeRequire } from './esm';

/**
 * Prisma's schema engine compiled to wasm (the CLI cannot download its native engine here; see
 * /work/shared/prisma-offline.md), driven through @prisma/adapter-pg.
 */
export type { SchemaEngine };

/**
 * Runs the engine against `mainUrl`; a shadow database (for `diff` from the migrations folder) is
 * served from `shadowUrl`, which the caller creates and drops (adapter-pg's own helper drops it
 * while its pool is still connected).
 */
export async function withSchemaEngine<T>(
  urls: { mainUrl: string; shadowUrl?: string },
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const deps = await loadEngine();
  const pools: pg.Pool[] = [];
  const adapterFor = (url: string) => {
    const pool = new deps.pg.Pool({ connectionString: url, Client: deps.CharAsTextClient, max: 4 });
    // pool.end() resolves before its sockets close, so the caller's DROP DATABASE ... WITH (FORCE)
    // may terminate a closing client; unheard, that error would be thrown from the socket.
    pool.on('error', () => {});
    pools.push(pool);
    return new deps.PrismaPg(pool).connect();
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => adapterFor(urls.mainUrl),
    connectToShadowDb: () => {
      if (!urls.shadowUrl) throw new Error('this operation needs a shadow database');
      return adapterFor(urls.shadowUrl);
    },
  };
  const adapter = deps.bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await deps.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  try {
    return await run(engine);
  } finally {
    engine.free();
    // Pools left open keep node alive for ~10 s.
    await Promise.all(pools.map((pool) => pool.end()));
  }
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function charColumnsAsText<T>(result: T): T {
  for (const part of Array.isArray(result) ? result : [result]) {
    for (const field of (part as { fields?: { dataTypeID: number }[] } | undefined)?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return result;
}

/**
 * adapter-pg 7.10 rejects the catalogs' one-byte `"char"` columns (pg_class.relkind, ...), which the
 * engine reads when describing a schema. pg already returns them as strings; only the type id is wrong.
 */
function charAsTextClient(Client: typeof pg.Client): typeof pg.Client {
  return class CharAsTextClient extends Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    query(...args: any[]): any {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to `this` below
      const query = super.query as (...a: unknown[]) => unknown;
      const last = args.length - 1;
      if (typeof args[last] === 'function') {
        const callback = args[last];
        args[last] = (err: Error | null, res: unknown) => callback(err, err ? res : charColumnsAsText(res));
        return query.apply(this, args);
      }
      const result = query.apply(this, args) as { then?: unknown } | undefined;
      return typeof result?.then === 'function' ? (result as Promise<unknown>).then(charColumnsAsText) : result;
    }
  };
}

type EngineModule = typeof import('@prisma/schema-engine-wasm') & Record<string, unknown>;
type WasmApi = {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

/**
 * Once per process, not per module instance: node's require cache is process-wide, so under jest every
 * test file would otherwise re-initialise the same glue module with a new wasm instance.
 */
function loadEngine(): ReturnType<typeof load> {
  const realGlobal = vm.runInThisContext('globalThis') as Record<symbol, ReturnType<typeof load> | undefined>;
  const key = Symbol.for('cvety.db.schemaEngine');
  return (realGlobal[key] ??= load());
}

/**
 * The package's entry point imports the .wasm file as an ES module, which Node does not support
 * without a flag, so we instantiate the wasm ourselves and hand it to the wasm-bindgen glue.
 * Everything the engine touches is loaded into node's main realm (see nativeRequire).
 */
async function load() {
  const pgModule = nativeRequire<typeof pg>('pg');
  const { PrismaPg } = nativeRequire<{ PrismaPg: typeof PrismaPgClass }>('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = nativeRequire<typeof AdapterUtils>('@prisma/driver-adapter-utils');
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue = nativeRequire<EngineModule>(gluePath);
  const wasmApi = vm.runInThisContext('WebAssembly') as WasmApi;
  const { instance } = await wasmApi.instantiate(readFileSync(gluePath.replace(/\.js$/, '.wasm')), {
    './schema_engine_bg.js': withUnrefTimers(glue),
  });
  (glue.__wbg_set_wasm as (exports: object) => void)(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return {
    pg: pgModule,
    PrismaPg,
    bindMigrationAwareSqlAdapterFactory,
    SchemaEngine: glue.SchemaEngine,
    CharAsTextClient: charAsTextClient(pgModule.Client),
  };
}

/**
 * The engine arms 10 s timers it never clears (a timeout raced against each query); unref them so a
 * finished migration does not keep node alive. They still fire while the process has other work.
 */
function withUnrefTimers(glue: Record<string, unknown>): Record<string, unknown> {
  const imports = { ...glue };
  for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
  }
  return imports;
}
