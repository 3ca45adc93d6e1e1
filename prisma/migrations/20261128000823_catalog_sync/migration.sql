-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "lastSeenSync" TEXT;

-- AlterTable
ALTER TABLE "ProductPhoto" ADD COLUMN     "sourceEtag" TEXT,
ADD COLUMN     "sourceLastModified" TEXT;

-- CreateTable
CREATE TABLE "CatalogSyncRun" (
    "id" SERIAL NOT NULL,
    "workflowId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created" INTEGER NOT NULL,
    "updated" INTEGER NOT NULL,
    "disabled" INTEGER NOT NULL,
    "photosUploaded" INTEGER NOT NULL,
    "photosSkipped" INTEGER NOT NULL,
    "photosBroken" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "CatalogSyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CatalogSyncRun_runId_key" ON "CatalogSyncRun"("runId");

-- CreateIndex
CREATE INDEX "CatalogSyncRun_kind_finishedAt_idx" ON "CatalogSyncRun"("kind", "finishedAt");
