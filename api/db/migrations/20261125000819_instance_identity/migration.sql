-- CreateTable
CREATE TABLE "InstanceIdentity" (
    "id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "signingKeyIds" TEXT[],
    "fieldKeyId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InstanceIdentity_pkey" PRIMARY KEY ("id")
);
