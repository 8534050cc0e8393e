import { z } from 'zod';
import { marketplaceIdSchema } from '@shared/http/identifiers';

/** Query string of `GET /quality/reviews`. */
export const listReviewsQuery = z.strictObject({
  marketplace: marketplaceIdSchema.describe('the marketplace; must be within the caller\'s grant'),
  period: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date (YYYY-MM-DD)')
    .optional()
    .describe("any local date in the draw's period (a week from Monday by default); default: the latest period drawn"),
  status: z.enum(['pending', 'done']).optional().describe('only pending or only done reviews; default both'),
});

const score = (name: string) => z.number().int(`${name} is a whole number`).min(1, `${name} is 1 to 5`).max(5, `${name} is 1 to 5`).describe(`${name}, 1 (poor) to 5 (excellent)`);

/** Body of `POST /quality/reviews/{id}`. */
export const reviewBody = z.strictObject({
  courtesy: score('courtesy'),
  accuracy: score('accuracy'),
  process: score('process'),
  comment: z.string().trim().min(1, 'a review needs a comment').max(2000).describe("the reviewer's comment (at most 2,000 characters)"),
});

export type ReviewBody = z.infer<typeof reviewBody>;
