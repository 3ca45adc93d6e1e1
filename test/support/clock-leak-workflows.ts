// Workflows that make the Java time-skipping server leak a clock lock (test/workflows/clock-leak.test.ts).
import { ParentClosePolicy, sleep, startChild } from '@temporalio/workflow';

export async function lingeringChild(ms: number): Promise<void> {
  await sleep(ms);
}

/** Closes at once, leaving its child to end later, as an order leaves its bill. */
export async function parentThatLeaves(childId: string): Promise<void> {
  await startChild(lingeringChild, {
    args: [60_000],
    workflowId: childId,
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
}
