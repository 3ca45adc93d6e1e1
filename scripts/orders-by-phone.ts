/**
 * `npm run orders:by-phone -- +77015211545`: a customer's orders, found from the phone through the CustomerPhoneHash
 * search attribute (the number itself is never stored in Temporal). Prints the orders and the Web UI / CLI query.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../common/config';
import { phoneSearchHash } from '../common/phone-hash';
import { connectTemporalClient } from '../common/temporal-connection';

async function main(): Promise<void> {
  const phone = process.argv[2];
  if (!phone) throw new Error('usage: npm run orders:by-phone -- <phone>');
  const envFile = path.resolve(__dirname, '..', '.env');
  if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
  const config = loadConfig({ ...localSecrets(), ...process.env, DATABASE_URL: 'postgresql://unused/unused' });
  const query = `CustomerPhoneHash = "${phoneSearchHash(config.PHONE_HASH_KEY, phone)}"`;
  console.log(`Web UI / temporal workflow list --query '${query}'`);
  const client = await connectTemporalClient(config);
  try {
    for await (const run of client.workflow.list({ query })) {
      console.log(`${run.workflowId}  ${run.status.name}  started ${run.startTime.toISOString()}`);
    }
  } finally {
    await client.connection.close();
  }
}

/** Under `npm start` the keys are generated into .data/local-secrets.json; real deployments set them. */
function localSecrets(): Record<string, string> {
  const file = path.resolve(__dirname, '..', process.env.DATA_DIR || '.data', 'local-secrets.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
