import type { ValueTransformer } from 'typeorm';

/**
 * decimal and bigint columns come back as text from PostgreSQL and SQL Server (exactness the
 * drivers keep); twinrec's are seconds to the millisecond and byte counts below 2^53, exact as
 * numbers.
 */
export const exactNumber: ValueTransformer = { to: (v: number) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) };
