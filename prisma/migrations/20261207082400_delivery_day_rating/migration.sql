-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "ratedAt" TIMESTAMP(3),
ADD COLUMN     "ratingComment" TEXT,
ADD COLUMN     "ratingStars" INTEGER;
