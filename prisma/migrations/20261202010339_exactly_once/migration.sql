-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "attention" JSONB,
ADD COLUMN     "needsAttention" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "paymentState" TEXT NOT NULL DEFAULT 'none',
ALTER COLUMN "totalKopecks" SET DATA TYPE BIGINT,
ALTER COLUMN "deliveryFeeKopecks" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "OrderItem" ALTER COLUMN "priceKopecks" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "phone" TEXT,
ADD COLUMN     "requestKey" TEXT,
ALTER COLUMN "amountKopecks" SET DATA TYPE BIGINT,
ALTER COLUMN "refundedKopecks" SET DATA TYPE BIGINT;

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "orderId" INTEGER NOT NULL,
    "event" TEXT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "messageId" INTEGER,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconcileRun" (
    "id" SERIAL NOT NULL,
    "workflowId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fixed" INTEGER NOT NULL,
    "needsAttention" INTEGER NOT NULL,
    "report" JSONB NOT NULL,

    CONSTRAINT "ReconcileRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Notification_status_idx" ON "Notification"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_orderId_event_key" ON "Notification"("orderId", "event");

-- CreateIndex
CREATE UNIQUE INDEX "ReconcileRun_runId_key" ON "ReconcileRun"("runId");

-- CreateIndex
CREATE INDEX "Order_needsAttention_idx" ON "Order"("needsAttention");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_requestKey_key" ON "Payment"("requestKey");

-- CreateIndex
CREATE INDEX "Payment_status_idx" ON "Payment"("status");

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
