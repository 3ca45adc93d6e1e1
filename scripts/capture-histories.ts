/**
 * Records real histories into test/histories/ for the replay test: orderWorkflow on the time-skipping server with an
 * in-memory shop, and the catalog sync workflows on the whole local system (stand-ins, S3, PostgreSQL, dev server).
 * Run after a deliberate, versioned change of a workflow: `npx tsx scripts/capture-histories.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { orderWorkflowId } from '../common/contract';
import { FakeShop, orderInput } from '../test/support/fake-shop';
import { startSystem } from '../test/support/system';
import { createTimeSkippingEnv, workflowBundle } from '../test/support/temporal';
import { chooseTestPostgres } from '../test/support/test-postgres';
import { TASK_QUEUE } from '../common/contract';
import { catalogSyncWorkflow, orderWorkflow, productSyncWorkflow } from '../workflows';
import { cancelUpdate, crmStatusSignal, paymentSignal, pricedUpdate } from '../workflows/messages';

type Scenario = (
  shop: FakeShop,
  handle: WorkflowHandle<typeof orderWorkflow>,
  sleep: (ms: number) => Promise<void>,
) => Promise<void>;

const scenarios: Record<string, Scenario> = {
  delivered: async (shop, handle, sleep) => {
    await sleep(20_000);
    shop.pay();
    await sleep(20_000);
    await handle.signal(crmStatusSignal, { status: 'AP' });
    shop.assembledImage = 'http://127.0.0.1/done.jpg';
    await handle.signal(crmStatusSignal, { status: 'CO' }); // the photo is fetched from the CRM
    await sleep(6 * 60_000); // one CRM poll in between
    await handle.signal(paymentSignal, { externalId: 'stray-1', status: 'Processed' });
    await handle.signal(crmStatusSignal, { status: 'F' });
  },
  'expired-then-paid-late': async (shop, _handle, sleep) => {
    await sleep(31 * 60_000);
    shop.pay();
  },
  'paid-then-cancelled': async (shop, handle, sleep) => {
    await sleep(20_000);
    shop.pay();
    await sleep(20_000);
    await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'передумала' }] });
  },
};

const dir = path.resolve(__dirname, '../test/histories');

async function captureCatalogSync() {
  const postgres = await chooseTestPostgres();
  process.env.TEST_PG_ADMIN_URL = postgres.adminUrl;
  const system = await startSystem();
  try {
    const productId = system.production.products()[0].id;
    const runs = [
      [
        'catalog-sync',
        await system.client.workflow.start(catalogSyncWorkflow, {
          workflowId: 'replay-catalog-sync',
          taskQueue: TASK_QUEUE,
        }),
      ],
      [
        'product-sync',
        await system.client.workflow.start(productSyncWorkflow, {
          workflowId: 'replay-product-sync',
          taskQueue: TASK_QUEUE,
          args: [productId],
        }),
      ],
    ] as const;
    for (const [name, handle] of runs) {
      await handle.result();
      const history = await handle.fetchHistory();
      fs.writeFileSync(path.join(dir, `${name}.json`), historyToJSON(history));
      console.log(`captured ${name}: ${history.events?.length} events`);
    }
  } finally {
    await system.stop();
    await postgres.stop();
  }
}

async function main() {
  await captureCatalogSync();
  const env = await createTimeSkippingEnv();
  try {
    for (const [name, scenario] of Object.entries(scenarios)) {
      const shop = new FakeShop();
      const taskQueue = `capture-${name}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(),
        activities: shop.activities(),
      });
      await worker.runUntil(async () => {
        const input = orderInput({ trackingId: `REPLAY${name.replace(/\W/g, '').toUpperCase()}` });
        const handle = await env.client.workflow.start(orderWorkflow, {
          workflowId: orderWorkflowId(input.trackingId),
          taskQueue,
          args: [input],
        });
        await handle.executeUpdate(pricedUpdate);
        await scenario(shop, handle, (ms) => env.sleep(ms));
        await handle.result();
        const history = await handle.fetchHistory();
        fs.writeFileSync(path.join(dir, `order-${name}.json`), historyToJSON(history));
        console.log(`captured ${name}: ${history.events?.length} events`);
      });
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
