export { orderWorkflow } from './order';
export { catalogSyncWorkflow, productSyncWorkflow } from './catalog-sync';
