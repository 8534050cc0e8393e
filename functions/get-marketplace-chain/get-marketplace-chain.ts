import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { callerOf } from '@shared/auth/caller';
import { requireMarketplace } from '@shared/auth/route-access';
import type { AuditTrail } from '@shared/audit/audit-trail';
import type { CheckpointStore } from '@shared/audit/checkpoints';
import { verifyChain } from '@shared/audit/verify-chain';
import { marketplaceIdSchema } from '@shared/http/identifiers';
import { parseWith } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';

export interface GetMarketplaceChainDeps {
  readonly audit: Pick<AuditTrail, 'marketplaceChain'>;
  readonly checkpoints: Pick<CheckpointStore, 'newest'>;
}

const pathSchema = z.object({ marketplace: marketplaceIdSchema });

/**
 * `GET /audit/marketplaces/{marketplace}/chain`: the marketplace's own audit chain (its
 * exports) in full, in order, with its verification and newest checkpoint, so a verifier
 * can tell an export record removed from the end.
 */
export function createGetMarketplaceChain(deps: GetMarketplaceChainDeps) {
  return async function getMarketplaceChain(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const { marketplace } = parseWith(pathSchema, event.pathParameters ?? {}, 'path');
    requireMarketplace(caller, marketplace);
    const [events, checkpoint] = await Promise.all([deps.audit.marketplaceChain(marketplace), deps.checkpoints.newest({ kind: 'marketplace', id: marketplace })]);
    const owner = { field: 'marketplace', value: marketplace } as const;
    let chain = verifyChain(events, undefined, owner);
    if (chain.valid && checkpoint) chain = verifyChain(events, checkpoint, owner);
    return jsonResponse(200, { marketplace, events, chain, checkpoint: checkpoint ?? null });
  };
}
