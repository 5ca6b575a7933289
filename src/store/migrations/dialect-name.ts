/** The SQL dialects the store speaks. */
export type SqlDialectName = 'sqlite' | 'postgres';
