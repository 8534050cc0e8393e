import { z } from 'zod';
import { marketplaceIdSchema } from '@shared/http/identifiers';

/** Query string of `GET /notifications`. */
export const listNotificationsQuery = z.strictObject({
  /** Optional when the caller's grant names exactly one marketplace. */
  marketplace: marketplaceIdSchema.optional().describe('the marketplace; optional when your grant names only one'),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('notifications per page (1-100, default 50)'),
  cursor: z.string().min(1).max(2048).optional().describe('from the previous page, for the next (older) one'),
});
