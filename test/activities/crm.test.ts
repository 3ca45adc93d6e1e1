import { createCrmActivities } from '../../activities/crm';
import { createProductionApi } from '../../activities/production-api';
import { createProductionApiStandin, type ProductionApiStandin } from '../../standins/production-api';
import { pickupOrderInput, pickupOrderPriced } from '../support/pickup-order';

/** The CRM activities against the production API stand-in over HTTP. */
const TOKEN = 'test-production-token-0123456789';
let standin: ProductionApiStandin;

beforeAll(async () => {
  standin = await createProductionApiStandin({ port: 0, host: '127.0.0.1', token: TOKEN });
});
afterAll(() => standin?.close());

const crm = () =>
  createCrmActivities({
    production: createProductionApi({ baseUrl: standin.apiUrl, token: TOKEN, cityId: 2, timeoutMs: 2_000 }),
  });

async function crmOrder(trackingId: string): Promise<number> {
  const input = pickupOrderInput(trackingId);
  return (await crm().createCrmOrder({ input, priced: pickupOrderPriced(0) })).crmOrderId;
}

// Found by `npm run chaos` (worker kills): the "paid" push, retried after a SIGKILL, landed after the shop had
// cancelled the order in the CRM and undid the cancellation; the order then waited for the shop forever.
test('"paid" never undoes what the shop did meanwhile', async () => {
  const cancelled = await crmOrder(`CVCRM${process.pid}A`);
  await standin.changeOrderStatus(cancelled, 'RF', { webhook: false });
  await crm().setCrmStatus({ crmOrderId: cancelled, status: 'PD' });
  expect((await crm().getCrmOrder(cancelled)).status).toBe('RF');

  const accepted = await crmOrder(`CVCRM${process.pid}B`);
  await standin.changeOrderStatus(accepted, 'AP', { webhook: false });
  await crm().setCrmStatus({ crmOrderId: accepted, status: 'PD' });
  expect((await crm().getCrmOrder(accepted)).status).toBe('AP');

  const fresh = await crmOrder(`CVCRM${process.pid}C`);
  await crm().setCrmStatus({ crmOrderId: fresh, status: 'PD' });
  expect((await crm().getCrmOrder(fresh)).status).toBe('PD');
});
