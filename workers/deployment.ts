import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { WORKER_DEPLOYMENT_NAME } from '../common/contract';

/** The build id of this code: WORKER_BUILD_ID, else the package version (bumped by every release). */
export function buildIdFor(config: { WORKER_BUILD_ID?: string }): string {
  if (config.WORKER_BUILD_ID) return config.WORKER_BUILD_ID;
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function currentBuildId(client: Client): Promise<string | undefined> {
  try {
    const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName: WORKER_DEPLOYMENT_NAME,
    });
    return workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId ?? undefined;
  } catch {
    return undefined; // no deployment yet
  }
}

/**
 * Makes `buildId` the deployment's current version once the server has seen its pollers (WORKER_PROMOTE=auto):
 * new orders and every AUTO_UPGRADE order then run on it; PINNED catalog syncs finish where they started.
 * The server knows a version only from its polls, so this retries for a while after the workers start.
 */
export async function promoteToCurrent(
  client: Client,
  buildId: string,
  timeoutMs = 60_000,
): Promise<'already' | 'set'> {
  if ((await currentBuildId(client)) === buildId) return 'already';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: client.options.namespace,
        deploymentName: WORKER_DEPLOYMENT_NAME,
        buildId,
        identity: client.options.identity,
        // A split deployment (WORKER_QUEUES per process) brings its other queue up in its own time.
        ignoreMissingTaskQueues: true,
      });
      return 'set';
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
