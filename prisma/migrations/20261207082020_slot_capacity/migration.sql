-- Delivery slot capacity (issue 15): places taken per date and slot, and the place each order holds.
-- No CHECK constraint (the wasm schema engine crashed on them): the reservation statement is the guard.
-- CreateTable
CREATE TABLE "SlotLoad" (
    "date" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "capacity" INTEGER,
    "taken" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlotLoad_pkey" PRIMARY KEY ("date","slot")
);

-- CreateTable
CREATE TABLE "SlotReservation" (
    "trackingId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" TIMESTAMP(3),

    CONSTRAINT "SlotReservation_pkey" PRIMARY KEY ("trackingId")
);

-- CreateIndex
CREATE INDEX "SlotReservation_date_slot_idx" ON "SlotReservation"("date", "slot");
