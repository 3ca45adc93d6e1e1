-- Product search: PostgreSQL full-text search (russian stemming + simple words for Kazakh and names)
-- and pg_trgm for typos (word_similarity over the catalog: no trigram index, which Prisma could not describe).
-- Where pg_trgm cannot be created the search works without typo tolerance.
-- The DO bodies are E'' strings with \073 (a semicolon): the migration runner splits scripts at every semicolon.
DO E'BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm\073 EXCEPTION WHEN OTHERS THEN RAISE WARNING ''pg_trgm is not available (%): product search runs without typo tolerance'', SQLERRM\073 END';

-- AlterTable: search columns kept by a trigger (a generated column would make Prisma print its expression
-- as a DEFAULT, which PostgreSQL refuses when a migration is generated from scratch).
ALTER TABLE "Product" ADD COLUMN "searchVector" tsvector,
ADD COLUMN "searchText" TEXT;

CREATE OR REPLACE FUNCTION product_search_document() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN
  NEW."searchVector" :=
    setweight(to_tsvector(''russian'', coalesce(NEW.title, '''')), ''A'') ||
    setweight(to_tsvector(''simple'', coalesce(NEW.title, '''')), ''A'') ||
    setweight(to_tsvector(''russian'', coalesce(NEW.composition, '''')), ''B'') ||
    setweight(to_tsvector(''simple'', coalesce(NEW.composition, '''')), ''B'') ||
    setweight(to_tsvector(''simple'', coalesce(NEW.type, '''')), ''C'')\073
  NEW."searchText" := lower(coalesce(NEW.title, '''') || '' '' || coalesce(NEW.composition, '''') || '' '' || coalesce(NEW.type, ''''))\073
  RETURN NEW\073
END';

CREATE TRIGGER "Product_search_document" BEFORE INSERT OR UPDATE OF title, composition, type ON "Product"
FOR EACH ROW EXECUTE FUNCTION product_search_document();

UPDATE "Product" SET title = title;

-- CreateTable
CREATE TABLE "PhotoFeature" (
    "id" SERIAL NOT NULL,
    "productId" INTEGER NOT NULL,
    "photoKey" TEXT NOT NULL,
    "recipe" TEXT NOT NULL,
    "vector" BYTEA NOT NULL,
    "descriptors" BYTEA NOT NULL,
    "points" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PhotoFeature_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Product_searchVector_idx" ON "Product" USING GIN ("searchVector");

-- CreateIndex
CREATE UNIQUE INDEX "PhotoFeature_productId_photoKey_key" ON "PhotoFeature"("productId", "photoKey");

-- AddForeignKey
ALTER TABLE "PhotoFeature" ADD CONSTRAINT "PhotoFeature_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
