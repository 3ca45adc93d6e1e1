export { orderWorkflow } from './order';
export { kaspiPaymentWorkflow } from './kaspi-payment';
export { reconcileWorkflow } from './reconcile';
export { catalogSyncWorkflow, productSyncWorkflow } from './catalog-sync';
