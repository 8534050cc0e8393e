/** The roles a caller's token may name. A module of its own, so the console can import it without the server's code. */
export const ROLES = ['agent', 'merchant', 'manager', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
