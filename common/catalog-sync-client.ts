import type { Client } from '@temporalio/client';
import { CATALOG_TASK_QUEUE, productSyncWorkflowId } from './contract';
import { productChangedSignal } from '../workflows/catalog-sync';

/**
 * Starts the one-product sync `product-sync-<productId>` (production id). While one runs for that product, a new
 * request only signals it to make one more pass: repeated webhooks never pile up runs, and the last change is
 * never missed.
 */
export function createProductSyncStarter(temporal: Client): (productId: number) => Promise<string> {
  return async (productId) => {
    const handle = await temporal.workflow.signalWithStart('productSyncWorkflow', {
      workflowId: productSyncWorkflowId(productId),
      taskQueue: CATALOG_TASK_QUEUE,
      args: [productId],
      signal: productChangedSignal,
      signalArgs: [],
      staticSummary: `Sync product ${productId} from production (its webhook)`,
    });
    return handle.workflowId;
  };
}
