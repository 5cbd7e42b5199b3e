-- AlterEnum
ALTER TYPE "booking_status" ADD VALUE 'expired';

