import type { BundleOptions } from '@temporalio/worker';

/** Where the workflow code starts: the one module every bundle is built from. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * How the workflow code is bundled, wherever it is (the ahead-of-time bundle, a worker that bundles at start, tests,
 * the chaos stack). Our workflow modules hold no per-workflow state at module level (every handler is set inside a
 * workflow function, every mutable thing lives in its run), so they are loaded once for the whole worker thread
 * instead of once per cached workflow: each cached order no longer carries its own copy of them (bench/README.md
 * "Open orders"). The SDK deep-freezes preloaded modules, so an assignment to module-level state throws; but the
 * contents of a module-level Map or Set stay writable and would be shared by every workflow: keep none.
 */
export function workflowBundleOptions(extra: Partial<BundleOptions> = {}): BundleOptions {
  return { workflowsPath: WORKFLOWS_PATH, preloadModules: [WORKFLOWS_PATH], ...extra };
}
